// Plays a device recording (packline/drivers/recording.h) back into the
// station as if the device were there: the recorded bytes go through the same
// StreamDecoder the real transport uses, "gone" and "back" become health
// changes. A bug report from a real bench becomes a test this way.
//
// Thread-safety: open()/close() from the owner's thread; one replay thread
// per open device posts events. Nothing is posted after close() returns.
#pragma once

#include <memory>
#include <string>

#include "packline/drivers/recording.h"
#include "packline/drivers/stream_decoder.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

struct ReplayOptions {
    std::string id;          // device id on events
    double speed = 1.0;      // 2.0 plays twice as fast; 0 plays without waiting
    bool loop = false;       // start again at the end (soak tests, demos)
    int start_delay_ms = 0;  // wait this long after open() before the first chunk
};

class ReplayDevice final : public hardware::Scale {
  public:
    // The kind follows the recording's family (a scanner recording makes a
    // device whose kind() is Scanner); the decoder is made by the caller.
    ReplayDevice(Recording recording, std::unique_ptr<StreamDecoder> decoder,
                 hardware::DeviceKind kind, ReplayOptions options);
    ~ReplayDevice() override;
    ReplayDevice(const ReplayDevice&) = delete;
    ReplayDevice& operator=(const ReplayDevice&) = delete;

    std::string id() const override;
    hardware::DeviceKind kind() const override;
    Status open(hardware::EventSink& sink) override;
    void close() override;
    // A recording cannot be zeroed: refused with replay.unsupported.
    Status zero() override;

    // True once every chunk was played (and loop is off).
    bool finished() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// Loads `path` and builds the device with the registry's decoder for its family.
Result<std::unique_ptr<ReplayDevice>> open_replay(const std::string& path, ReplayOptions options);

}  // namespace packline::drivers
