#include <nlohmann/json.hpp>

#include "packer_assets.h"
#include "packline/station/station_loop.h"
#include "packline/web/http_server.h"
#include "packline/web/packer_screen.h"
#include "packline/web/web_errors.h"

namespace packline::web {

namespace {

constexpr std::size_t kMaxManualCode = 512;  // longer than any barcode a packer would type
// A screen or two, a tablet and a test watch a station: eight streams are
// plenty, and the other connections stay free for the page and its actions
// (docs/packer-screen.md, "Limits").
constexpr std::size_t kMaxStreams = 8;
constexpr std::size_t kMaxConnections = 32;

std::optional<std::string> string_member(const std::string& body, const char* member) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_object()) return std::nullopt;
    const auto found = parsed.find(member);
    if (found == parsed.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

bool printable(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) return false;
    }
    return true;
}

// Everything the screen asks of the station goes through the loop's queue,
// as a scan from the device "screen".
Response post_scan(station::StationLoop& loop, std::string data, bool manual) {
    hardware::ScanEvent scan;
    scan.device = std::string(station::kScreenDevice);
    scan.data = std::move(data);
    scan.at_ms = hardware::now_ms();
    scan.manual = manual;
    if (!loop.try_post(std::move(scan)))
        return Response::error(503, errors::kWebBusy, "the station is busy; try again");
    return Response::json(202, R"({"queued":true})");
}

}  // namespace

ScreenServer::ScreenServer(std::unique_ptr<HttpServer> server, LiveFeed& feed)
    : server_(std::move(server)), feed_(feed) {}

ScreenServer::~ScreenServer() {
    stop();
}

Result<std::unique_ptr<ScreenServer>> ScreenServer::start(const station::ScreenSettings& settings,
                                                          station::StationLoop& loop,
                                                          LiveFeed& feed) {
    ServerOptions options;
    options.name = "packer screen";
    options.listen = settings.listen;
    options.max_streams = kMaxStreams;
    options.max_connections = kMaxConnections;
    options.max_body_bytes = 4096;
    auto made = HttpServer::create(options);
    if (!made.ok()) return made.error();
    HttpServer& server = *made.value();
    for (const EmbeddedFile& file : packer_screen_files())
        server.file("/" + std::string(file.path), content_type_for(file.path), file.bytes);

    server.get("/api/view", [&feed](const Request&) {
        std::uint64_t seen = 0;
        for (auto& item : feed.wait(seen, std::chrono::milliseconds(0)))
            if (item.topic == "view") return Response::json(200, std::move(item.data));
        return Response::error(503, errors::kWebStarting, "the station is starting");
    });
    server.stream("/events", {},
                  [&feed](const Request&, EventStreamWriter& writer) { serve_feed(feed, writer); });
    server.post("/api/manual", [&loop](const Request& request) {
        auto code = string_member(request.body, "code");
        if (!code)
            return Response::error(400, errors::kWebBadRequest, R"(send {"code": "<text>"})");
        if (code->empty() || code->size() > kMaxManualCode || !printable(*code))
            return Response::error(400, errors::kWebBadCode,
                                   "a code is 1 to 512 printable characters");
        return post_scan(loop, *code, true);
    });
    server.post("/api/command", [&loop](const Request& request) {
        auto command = string_member(request.body, "command");
        static const std::array<std::string_view, 5> kCommands{"RETRY", "REPRINT", "SPLIT",
                                                               "ABANDON", "CLOSE"};
        if (!command || std::find(kCommands.begin(), kCommands.end(), *command) == kCommands.end())
            return Response::error(400, errors::kWebBadCommand,
                                   "command is one of RETRY, REPRINT, SPLIT, ABANDON, CLOSE");
        return post_scan(loop, std::string(station::kCommandPrefix) + *command, false);
    });
    server.post("/api/reason", [&loop](const Request& request) {
        auto code = string_member(request.body, "code");
        if (!code || code->empty() || code->size() > 128 || !printable(*code))
            return Response::error(400, errors::kWebBadRequest,
                                   R"(send {"code": "<reason code>"})");
        return post_scan(loop, std::string(station::kReasonPrefix) + *code, false);
    });
    if (auto started = server.start(); !started.ok()) return started.error();
    return std::unique_ptr<ScreenServer>(new ScreenServer(std::move(made.value()), feed));
}

std::string ScreenServer::url() const {
    return server_->url();
}

bool ScreenServer::is_loopback() const {
    return server_->is_loopback();
}

void ScreenServer::stop() {
    if (!server_) return;
    feed_.close();
    server_->stop();
}

}  // namespace packline::web
