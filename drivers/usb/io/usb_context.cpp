#include "usb_context.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <string_view>

#include "packline/drivers/usb_errors.h"

namespace packline::drivers {
namespace {

std::mutex instance_mutex;
std::weak_ptr<UsbContext> instance;

constexpr auto kRescanPeriod = std::chrono::seconds(2);

}  // namespace

Result<std::shared_ptr<UsbContext>> UsbContext::acquire() {
    std::lock_guard lock(instance_mutex);
    if (auto existing = instance.lock()) return existing;
    std::shared_ptr<UsbContext> context(new UsbContext());
    const int status = libusb_init(&context->context_);
    if (status != LIBUSB_SUCCESS) {
        context->context_ = nullptr;
        return Error(errors::kUsbInit, std::string("libusb_init: ") + libusb_error_name(status));
    }
    // PACKLINE_USB_HOTPLUG=0 leaves only the 2 s re-scan (for systems whose
    // udev events do not reach the daemon, e.g. some containers).
    const char* hotplug = std::getenv("PACKLINE_USB_HOTPLUG");
    const bool hotplug_wanted = hotplug == nullptr || std::string_view(hotplug) != "0";
    context->hotplug_ = hotplug_wanted && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
    context->thread_ = std::thread([raw = context.get()] { raw->run(); });
    {
        std::unique_lock ready_lock(context->mutex_);
        context->ready_changed_.wait(ready_lock, [&] { return context->ready_; });
    }
    instance = context;
    return context;
}

UsbContext::~UsbContext() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        libusb_interrupt_event_handler(context_);
        thread_.join();
    }
    if (context_ != nullptr) libusb_exit(context_);
}

int LIBUSB_CALL UsbContext::on_hotplug(libusb_context*, libusb_device* device,
                                       libusb_hotplug_event event, void* self) {
    // Inside libusb's event handling (or register_callback): only queue it.
    static_cast<UsbContext*>(self)->hotplug_events_.emplace_back(libusb_ref_device(device), event);
    return 0;
}

void UsbContext::arrive(libusb_device* device) {
    if (std::find(known_.begin(), known_.end(), device) != known_.end()) return;
    known_.push_back(libusb_ref_device(device));
    const auto clients = clients_;
    for (auto* client : clients) {
        if (std::find(clients_.begin(), clients_.end(), client) != clients_.end())
            client->arrived(device);
    }
}

void UsbContext::leave(libusb_device* device) {
    const auto found = std::find(known_.begin(), known_.end(), device);
    if (found == known_.end()) return;
    known_.erase(found);
    const auto clients = clients_;
    for (auto* client : clients) {
        if (std::find(clients_.begin(), clients_.end(), client) != clients_.end())
            client->left(device);
    }
    libusb_unref_device(device);
}

void UsbContext::rescan() {
    libusb_device** list = nullptr;
    const auto count = libusb_get_device_list(context_, &list);
    if (count < 0) return;
    const std::vector<libusb_device*> now(list, list + count);
    for (auto* device : std::vector<libusb_device*>(known_)) {
        if (std::find(now.begin(), now.end(), device) == now.end()) leave(device);
    }
    for (auto* device : now)
        arrive(device);
    libusb_free_device_list(list, 1);
}

void UsbContext::run() {
    if (hotplug_) {
        const int status = libusb_hotplug_register_callback(
            context_,
            static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                              LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, &UsbContext::on_hotplug, this, &hotplug_handle_);
        if (status != LIBUSB_SUCCESS) hotplug_ = false;
    }
    auto last_scan = std::chrono::steady_clock::now();
    const auto drain_hotplug = [this] {
        auto events = std::move(hotplug_events_);
        hotplug_events_.clear();
        for (auto [device, event] : events) {
            if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) {
                arrive(device);
            } else {
                leave(device);
            }
            libusb_unref_device(device);
        }
    };
    drain_hotplug();
    rescan();
    {
        std::lock_guard lock(mutex_);
        ready_ = true;
    }
    ready_changed_.notify_all();

    while (true) {
        timeval timeout{0, 250'000};
        libusb_handle_events_timeout_completed(context_, &timeout, nullptr);
        drain_hotplug();
        if (std::chrono::steady_clock::now() - last_scan >= kRescanPeriod) {
            rescan();
            last_scan = std::chrono::steady_clock::now();
        }
        std::vector<std::function<void()>> tasks;
        {
            std::lock_guard lock(mutex_);
            tasks.swap(tasks_);
            if (stopping_ && tasks.empty()) break;
        }
        for (auto& task : tasks)
            task();
    }

    if (hotplug_) libusb_hotplug_deregister_callback(context_, hotplug_handle_);
    drain_hotplug();  // deregistering may not deliver more; drop the references
    for (auto* device : known_)
        libusb_unref_device(device);
    known_.clear();
}

void UsbContext::post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    libusb_interrupt_event_handler(context_);
}

void UsbContext::call(const std::function<void()>& task) {
    // On the event thread a posted task would wait for the very thread that
    // waits for it: run it here instead.
    if (on_event_thread()) {
        task();
        return;
    }
    std::promise<void> done;
    auto finished = done.get_future();
    post([&] {
        task();
        done.set_value();
    });
    finished.wait();
}

void UsbContext::add_client(Client& client) {
    call([&] {
        clients_.push_back(&client);
        for (auto* device : std::vector<libusb_device*>(known_)) {
            if (std::find(clients_.begin(), clients_.end(), &client) == clients_.end()) break;
            client.arrived(device);
        }
    });
}

void UsbContext::remove_client(Client& client) {
    if (on_event_thread()) {
        std::erase(clients_, &client);
        return;
    }
    call([&] { std::erase(clients_, &client); });
}

}  // namespace packline::drivers
