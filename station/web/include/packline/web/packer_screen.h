// The packer screen (docs/packer-screen.md): a web page above the bench that
// follows the station live over Server-Sent Events and takes the packer's
// touches (manual entry, RETRY, REPRINT, close a partial parcel, ABANDON, an
// override reason after a supervisor scanned a badge).
//
//   PackerScreen   observes PackingStation on the loop thread and publishes
//                  the view (JSON) and the live scale reading to a LiveFeed;
//   ScreenServer   serves the page, the feed and the actions over HTTP. Its
//                  threads never touch the station: actions are posted to
//                  the loop as scans from the device "screen".
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "packline/error.h"
#include "packline/station/config.h"
#include "packline/station/packing_station.h"
#include "packline/web/live_feed.h"

namespace packline::station {
class StationLoop;
}

namespace packline::web {

// The sounds of the last few verdicts, by verdict id (the
// feed sends only the newest view, so a page may not see every verdict).
struct VerdictSound {
    std::uint64_t id = 0;
    std::string_view sound;
};

// Thread-bound: the station loop thread (on_* come from PackingStation;
// call publish() on it, or before the loop runs).
class PackerScreen final : public station::StationObserver {
  public:
    PackerScreen(const station::PackingStation& station, LiveFeed& feed, std::string language);

    void on_verdict(const station::Verdict& verdict) override;
    void on_weight(const hardware::WeightReading& reading) override;
    void on_device(const hardware::DeviceStatusEvent& event) override;

    // Publishes the view as it is now (at start; after a restore).
    void publish();

  private:
    const station::PackingStation& station_;
    LiveFeed& feed_;
    std::string language_;
    std::uint64_t verdict_count_ = 0;
    std::optional<station::Verdict> last_verdict_;
    std::deque<VerdictSound> recent_sounds_;
    std::optional<hardware::WeightReading> last_reading_;  // the last one published
};

// The view as the page reads it (the JSON documented in docs/packer-screen.md).
std::string packer_view_json(const station::PackerView& view, const station::StationConfig& config,
                             std::string_view language,
                             const std::optional<station::Verdict>& verdict,
                             std::uint64_t verdict_id,
                             const std::deque<VerdictSound>& recent_sounds = {});

class HttpServer;

class ScreenServer {
  public:
    // Serves on settings.listen (error "web.listen" / "web.config").
    static Result<std::unique_ptr<ScreenServer>> start(const station::ScreenSettings& settings,
                                                       station::StationLoop& loop, LiveFeed& feed);
    ~ScreenServer();
    ScreenServer(const ScreenServer&) = delete;
    ScreenServer& operator=(const ScreenServer&) = delete;

    std::string url() const;
    bool is_loopback() const;
    // Closes the feed's streams and stops serving.
    void stop();

  private:
    ScreenServer(std::unique_ptr<HttpServer> server, LiveFeed& feed);
    std::unique_ptr<HttpServer> server_;
    LiveFeed& feed_;
};

}  // namespace packline::web
