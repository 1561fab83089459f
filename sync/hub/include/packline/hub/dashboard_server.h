// The supervisor dashboard served by `packline-hub run` (docs/dashboard.md):
// the page, sign-in with the hub's supervisor accounts (supervisors.h), and
// the dashboard's data (dashboard.h), live over Server-Sent Events.
//
// While a dashboard is open, a poller thread watches the hub database
// (SQLite data_version: any commit by the hub's worker or a tool) every
// 250 ms and publishes a new snapshot when it changed (at most one a second:
// at a busy site it changes all the time and a snapshot costs tens of ms),
// and every 10 s anyway (deadlines move with the clock). So a station's will,
// stored by the hub, is on every open dashboard within about a second; with
// none open it builds nothing.
//
// Sessions live in a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS);
// every data route and the stream need one; a stream ends when its session
// does. The server's threads only read the database through their own
// connections; nothing here touches the hub's worker.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "packline/error.h"
#include "packline/hub/hub_config.h"

namespace packline::hub {

class DashboardServer {
  public:
    using Log = std::function<void(const std::string&)>;
    // Opens its connections to config.database and listens on
    // config.dashboard.listen. Errors "web.config", "web.listen", "store.*".
    static Result<std::unique_ptr<DashboardServer>> start(const HubConfig& config, Log log);
    ~DashboardServer();
    DashboardServer(const DashboardServer&) = delete;
    DashboardServer& operator=(const DashboardServer&) = delete;

    std::string url() const;
    void stop();

    struct Impl;

  private:
    explicit DashboardServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::hub
