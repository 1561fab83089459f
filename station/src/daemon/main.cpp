// packline-stationd: the station daemon.
//
// Runs the packing state machine on one loop thread over the devices the
// configuration names ([devices.<kind>], see docs/devices.md), opened through
// the driver registry. With the default configuration every device is
// simulated: the simulated scanner reads scans from standard input, one per
// line, and "weight <grams>", "remove", "wobble on|off" drive the simulated
// scale.
// --shift N runs a scripted packer instead (what `packline demo` runs; the
// crash test kills this process at random points).
#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "packline/base_errors.h"
#include "packline/command_line.h"
#include "packline/drivers/registry.h"
#include "packline/hardware/simulated_indicator.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/hardware/simulated_scale.h"
#include "packline/hardware/simulated_scanner.h"
#include "packline/station/config.h"
#include "packline/station/packing_station.h"
#include "packline/station/shift.h"
#include "packline/station/station_loop.h"
#include "packline/station/store.h"
#include "packline/station/store_problem.h"
#include "packline/sync/mqtt_options.h"
#include "packline/sync/station/station_sync.h"
#include "packline/web/packer_screen.h"

namespace {

using namespace packline;

// Lines from the loop thread (verdicts) and the sync threads (connection,
// refusals) must not interleave.
std::mutex output_mutex;

void print_line(const std::string& line) {
    std::lock_guard lock(output_mutex);
    // One write with its newline: the scripted shift prints on other threads.
    std::cout << (line + '\n') << std::flush;
}

class ConsoleScreen final : public station::StationObserver {
  public:
    void on_verdict(const station::Verdict& verdict) override {
        std::ostringstream line;
        line << '[' << station::to_string(verdict.kind) << "] " << verdict.code << ": "
             << verdict.message;
        if (verdict.parcel)
            line << "  (order " << verdict.parcel->order_id << ", parcel " << verdict.parcel->id
                 << ", " << station::to_string(verdict.parcel->state) << ")";
        print_line(line.str());
    }
};

// The packer screen ([screen]): its feed, the observer that fills it on the
// loop thread and the HTTP server. The station packs without it: an address
// that cannot be bound is reported, not fatal.
struct Screen {
    web::LiveFeed feed;
    std::unique_ptr<web::PackerScreen> view;
    station::ObserverSubscription view_subscription;  // goes before the view
    std::unique_ptr<web::ScreenServer> server;

    // Before the loop runs (the view is built from the station directly).
    void start(const station::StationConfig& config, station::StationLoop& loop,
               station::PackingStation& station, bool observe = true) {
        if (!config.screen.enabled) return;
        view = std::make_unique<web::PackerScreen>(station, feed, config.screen.language);
        if (observe) view_subscription = station.add_observer(*view);
        view->publish();
        auto started = web::ScreenServer::start(config.screen, loop, feed);
        if (!started.ok()) {
            print_line("packline-stationd: packer screen off: " + started.error().message);
            return;
        }
        server = std::move(started.value());
        print_line("packline-stationd: packer screen " + server->url() +
                   (server->is_loopback() ? "" : " (reachable from the network)"));
    }

    void stop() {
        if (server) server->stop();
    }
};

// What a scripted shift attaches to the station: sync and the packer screen
// (ShiftOptions::attach takes one observer; this one passes verdicts on).
class ShiftAttachments final : public station::StationObserver {
  public:
    std::unique_ptr<sync::StationSync> station_sync;
    Screen screen;

    ~ShiftAttachments() override { screen.stop(); }

    void on_verdict(const station::Verdict& verdict) override {
        if (station_sync) station_sync->on_verdict(verdict);
        if (screen.view) screen.view->on_verdict(verdict);
    }
    void on_weight(const hardware::WeightReading& reading) override {
        if (screen.view) screen.view->on_weight(reading);
    }
    void on_device(const hardware::DeviceStatusEvent& event) override {
        if (screen.view) screen.view->on_device(event);
    }
};

// [sync] as the sync module reads it; the station's own keys are taken out
// first. Error: exit code 2 (bad configuration).
Result<sync::StationSyncOptions> sync_options(const station::StationConfig& config) {
    std::map<std::string, std::string> mqtt = config.sync.options;
    sync::StationSyncOptions options;
    auto take_ms = [&](const char* key, std::chrono::milliseconds& member, long long scale,
                       long long max) -> Status {
        auto found = mqtt.find(key);
        if (found == mqtt.end()) return {};
        long long value = 0;
        const std::string& text = found->second;
        auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (failure != std::errc{} || end != text.data() + text.size() || value < 1 || value > max)
            return Error{errors::kConfigInvalid, std::string("sync.") + key + ": '" + text +
                                                     "' is not a whole number from 1 to " +
                                                     std::to_string(max)};
        member = std::chrono::milliseconds(value * scale);
        mqtt.erase(found);
        return {};
    };
    if (auto status = take_ms("status_interval_s", options.status_interval, 1000, 3600); !status)
        return status.error();
    if (auto status = take_ms("clock_skew_warning_ms", options.clock_skew_warning, 1, 3600000);
        !status)
        return status.error();
    auto settings = sync::mqtt_settings_from_options(mqtt, "sync");
    if (!settings) return settings.error();
    options.mqtt = std::move(settings.value());
    return options;
}

// --shift N: the scripted packer on simulated devices (packline demo, the
// crash and sync tests). With [sync] the shift syncs like a real station and,
// once packed, waits up to --drain-timeout seconds (default 30) for the hub
// to acknowledge everything. Exit 0: the shift went as planned; 1: it did
// not (a mistake not caught, a good order not confirmed; a shift resumed
// after a crash reports only its own part); 3: the hub did not acknowledge
// everything in time. The scripted packer gives up a step after
// --step-timeout ms without an answer (default 10 s), and the station raises
// weight.unstable after --weigh-timeout ms (default 400, so that a planted
// wobbling scale is caught quickly): on a machine shared by hundreds of
// stations both need room, or good parcels time out.
// The command line of a shift, as parsed (main).
struct ShiftArguments {
    int orders = 0;
    std::uint64_t seed = 0;
    bool seed_given = false;
    int pace_ms = -1;  // -1: the shift's default
    int drain_seconds = 30;
    int step_timeout_ms = 0;   // 0: the shift's default
    int weigh_timeout_ms = 0;  // 0: at most 400 ms
    bool log_confirmations = false;
};

int run_shift(const ShiftArguments& arguments, const station::StationConfig& config,
              const std::optional<sync::StationSyncOptions>& sync_settings) {
    station::ShiftOptions options;
    options.config = config;
    options.config.weigh_timeout_ms = std::min(options.config.weigh_timeout_ms, 400);
    options.orders = arguments.orders;
    if (arguments.seed_given) options.seed = arguments.seed;
    if (arguments.pace_ms >= 0) options.pace_ms = arguments.pace_ms;
    if (arguments.step_timeout_ms > 0) options.step_timeout_ms = arguments.step_timeout_ms;
    if (arguments.weigh_timeout_ms > 0)
        options.config.weigh_timeout_ms = arguments.weigh_timeout_ms;
    options.log_confirmations = arguments.log_confirmations;
    const int drain_seconds = arguments.drain_seconds;
    bool drained = true;
    // Observers the station calls directly are attached by the shift; the
    // screen publishes its first view before the loop starts.
    options.attach =
        [&](station::StationLoop& loop, station::PackingStation& station,
            station::Store& store) -> Result<std::unique_ptr<station::StationObserver>> {
        auto attachments = std::make_unique<ShiftAttachments>();
        if (sync_settings) {
            auto made = sync::StationSync::create(*sync_settings, loop, station, store, print_line);
            if (!made.ok()) return made.error();
            if (auto started = made.value()->start(); !started.ok()) return started.error();
            attachments->station_sync = std::move(made.value());
        }
        // The shift adds the attachments to the station as one observer.
        attachments->screen.start(config, loop, station, /*observe=*/false);
        return std::unique_ptr<station::StationObserver>(std::move(attachments));
    };
    if (sync_settings) {
        options.finish = [&](station::StationObserver& observer) {
            auto& attachments = static_cast<ShiftAttachments&>(observer);
            attachments.screen.stop();
            auto& station_sync = *attachments.station_sync;
            if (auto done = station_sync.wait_drained(std::chrono::seconds(drain_seconds));
                !done.ok()) {
                drained = false;
                print_line("packline-stationd: sync: " + done.error().message);
            } else {
                print_line("packline-stationd: sync: every message acknowledged by the hub");
            }
        };
    }
    auto report = station::run_shift(options, std::cout);
    if (!report.ok()) {
        std::cerr << "packline-stationd: "
                  << station::explain_store_error(config.database, report.error()).to_string()
                  << '\n';
        return 1;
    }
    station::print_shift_report(report.value(), std::cout);
    if (!drained) return 3;
    return report.value().success() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"packline-stationd: the station daemon (docs/ARCHITECTURE.md)",
                 "packline-stationd"};
    packline::command_line::prepare_root(app);
    packline::command_line::StationOptions where;
    ShiftArguments shift_arguments;
    packline::command_line::add_config_options(
        app, where, "the station configuration (default: $PACKLINE_CONFIG, then ./packline.toml)",
        "the station's database, instead of [station] database");
    CLI::Option* shift = app.add_option("--shift", shift_arguments.orders,
                                        "run a scripted packer over N demo orders instead of "
                                        "the devices")
                             ->check(CLI::Range(1, 1000000))
                             ->type_name("N");
    app.add_option_function<std::uint64_t>(
           "--seed",
           [&](std::uint64_t seed) {
               shift_arguments.seed = seed;
               shift_arguments.seed_given = true;
           },
           "the demo catalogue's seed")
        ->type_name("S")
        ->needs(shift);
    app.add_option("--pace", shift_arguments.pace_ms, "the scripted packer's pause between steps")
        ->check(CLI::Range(0, 60000))
        ->type_name("MS")
        ->needs(shift);
    app.add_flag("--log-confirmations", shift_arguments.log_confirmations,
                 "print each confirmation's order and tracking number")
        ->needs(shift);
    app.add_option("--drain-timeout", shift_arguments.drain_seconds,
                   "with [sync]: seconds to wait for the hub's acknowledgements (default 30)")
        ->check(CLI::Range(0, 86400))
        ->type_name("SECONDS")
        ->needs(shift);
    app.add_option("--step-timeout", shift_arguments.step_timeout_ms,
                   "ms the scripted packer waits for an answer (default 10000)")
        ->check(CLI::Range(100, 3600000))
        ->type_name("MS")
        ->needs(shift);
    app.add_option("--weigh-timeout", shift_arguments.weigh_timeout_ms,
                   "ms before a scale that never settles is weight.unstable (default 400)")
        ->check(CLI::Range(50, 600000))
        ->type_name("MS")
        ->needs(shift);
    if (auto done =
            packline::command_line::parse(app, {argv + 1, argv + argc}, std::cout, std::cerr))
        return *done;
    auto found = station::find_station_config(where.config, where.database);
    if (!found.ok()) {
        std::cerr << "packline: " << found.error().message << '\n';
        return 2;
    }
    auto config = std::optional<station::StationConfig>(std::move(found.value().config));
    std::optional<sync::StationSyncOptions> sync_settings;
    if (config->sync.enabled) {
        auto checked = sync_options(*config);
        if (!checked.ok()) {
            std::cerr << "packline-stationd: config: " << checked.error().message << '\n';
            return 2;
        }
        sync_settings = std::move(checked.value());
    }
    if (shift->count() > 0) return run_shift(shift_arguments, *config, sync_settings);

    // Signals are taken by one thread with sigwait; every other thread blocks them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto store = station::Store::open(config->database);
    if (!store.ok()) {
        std::cerr << "packline-stationd: "
                  << station::explain_store_error(config->database, store.error()).message << '\n';
        return 1;
    }
    // The devices, kind by kind, as configured.
    std::vector<std::unique_ptr<hardware::Device>> devices;
    for (const auto& [word, settings] : config->devices) {
        auto kind = drivers::parse_device_kind(word);
        if (!kind.ok()) continue;  // the config parser already refused unknown kinds
        auto made = drivers::create_devices(kind.value(), settings.driver, settings.options);
        if (!made.ok()) {
            std::cerr << "packline-stationd: "
                      << (config->source.empty() ? std::string("config") : config->source) << ": "
                      << made.error().message << '\n';
            return 2;
        }
        for (auto& device : made.value())
            devices.push_back(std::move(device));
    }
    hardware::SimulatedScanner* typed_scanner = nullptr;
    hardware::SimulatedScale* typed_scale = nullptr;
    station::StationDevices station_devices;
    for (auto& device : devices) {
        if (auto* printer = dynamic_cast<hardware::LabelPrinter*>(device.get());
            printer != nullptr && station_devices.printer == nullptr)
            station_devices.printer = printer;
        if (auto* indicator = dynamic_cast<hardware::Indicator*>(device.get());
            indicator != nullptr && station_devices.indicator == nullptr)
            station_devices.indicator = indicator;
        if (auto* camera = dynamic_cast<hardware::Camera*>(device.get());
            camera != nullptr && station_devices.camera == nullptr)
            station_devices.camera = camera;  // evidence photos ([evidence] in the config)
        if (auto* simulated = dynamic_cast<hardware::SimulatedScanner*>(device.get()))
            typed_scanner = simulated;
        if (auto* simulated = dynamic_cast<hardware::SimulatedScale*>(device.get()))
            typed_scale = simulated;
    }
    station::PackingStation station(*store.value(), *config, station_devices);
    ConsoleScreen screen;
    const station::ObserverSubscription screen_subscription = station.add_observer(screen);
    if (auto restored = station.restore(); !restored.ok()) {
        std::cerr << "packline-stationd: " << restored.error().message << '\n';
        return 1;
    }
    station::StationLoop loop(station);
    Screen packer_screen;
    packer_screen.start(*config, loop, station);
    std::unique_ptr<sync::StationSync> station_sync;
    station::ObserverSubscription sync_subscription;  // goes before station_sync
    if (sync_settings) {
        for (auto& device : devices)
            sync_settings->devices.emplace_back(device->id(), device->kind());
        auto made =
            sync::StationSync::create(*sync_settings, loop, station, *store.value(), print_line);
        if (!made.ok()) {
            std::cerr << "packline-stationd: sync: " << made.error().message << '\n';
            return 2;
        }
        station_sync = std::move(made.value());
        sync_subscription = station.add_observer(*station_sync);
    }
    for (auto& device : devices)
        if (auto opened = device->open(loop); !opened.ok()) {
            std::cerr << "packline-stationd: " << device->id() << ": " << opened.error().message
                      << '\n';
            return 1;
        }
    // Simulated devices never report their health (real drivers do when they
    // open): say they are there, so the screen and the status list them.
    for (auto& device : devices)
        if (dynamic_cast<hardware::SimulatedScanner*>(device.get()) != nullptr ||
            dynamic_cast<hardware::SimulatedScale*>(device.get()) != nullptr ||
            dynamic_cast<hardware::SimulatedLabelPrinter*>(device.get()) != nullptr ||
            dynamic_cast<hardware::SimulatedIndicator*>(device.get()) != nullptr)
            loop.post(hardware::DeviceStatusEvent{device->id(), device->kind(),
                                                  hardware::DeviceHealth::Present, "simulated",
                                                  hardware::now_ms()});
    std::cout << "packline-stationd: station " << config->station_id << " ready, database "
              << config->database << '\n';
    for (auto& device : devices)
        std::cout << "  " << hardware::to_string(device->kind()) << ": " << device->id() << '\n';
    if (station_sync) {
        std::cout << "  sync: " << sync_settings->mqtt.brokers.front()
                  << (sync_settings->mqtt.brokers.size() > 1 ? " (and others)" : "") << '\n';
        if (auto started = station_sync->start(); !started.ok())
            std::cerr << "packline-stationd: sync: " << started.error().message << '\n';
    } else {
        std::cout << "  sync: off (no [sync] in the configuration; the outbox keeps everything)\n";
    }
    if (typed_scanner != nullptr) std::cout << "Type a barcode per line";
    if (typed_scale != nullptr)
        std::cout << "; 'weight <grams>', 'remove', 'wobble on|off' drive the scale";
    std::cout << std::endl;

    std::thread signal_thread([&] {
        int received = 0;
        sigwait(&signals, &received);
        loop.stop();
    });
    std::thread input_thread([&] {
        std::string line;
        while (std::getline(std::cin, line)) {
            std::istringstream words(line);
            std::string word;
            words >> word;
            if (typed_scale != nullptr && word == "weight") {
                double grams = 0;
                if (words >> grams)
                    typed_scale->place(grams);
                else
                    std::cout << "usage: weight <grams>" << std::endl;
            } else if (typed_scale != nullptr && word == "remove") {
                typed_scale->remove();
            } else if (typed_scale != nullptr && word == "wobble") {
                std::string state;
                words >> state;
                typed_scale->wobble(state == "on");
            } else if (typed_scanner != nullptr && !line.empty()) {
                typed_scanner->scan(line);
            }
        }
    });
    input_thread.detach();  // blocked in getline; ends with the process

    loop.run();
    packer_screen.stop();
    if (station_sync) station_sync->stop();  // publishes the shutdown status
    for (auto& device : devices)
        device->close();
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    std::cout << "packline-stationd: stopped" << std::endl;
    return 0;
}
