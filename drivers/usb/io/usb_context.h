// One libusb context and one event thread for the whole process.
//
// Ownership: UsbContext::acquire() hands out a shared_ptr to the process-wide
// instance, creating it (libusb_init + event thread) on first use; the last
// holder to let go stops it (cancelled transfers must be finished by then:
// the devices do that in close()). So the registry owns nothing, every open
// USB device keeps the context alive, and `packline devices` can use it too.
//
// Event thread: loops libusb_handle_events_timeout_completed (250 ms), then
// (outside libusb's event handling, so clients may open devices and use
// libusb's sync API sparingly) delivers device arrivals/departures and runs
// posted tasks. Arrivals come from libusb hotplug (ARRIVED/LEFT with
// ENUMERATE) when libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG), and from a
// re-scan every 2 s that diffs libusb_get_device_list against the known set
// (the fallback without hotplug; with hotplug it finds nothing new).
// Environment PACKLINE_USB_HOTPLUG=0 turns hotplug off (re-scan only).
//
// Thread-safety: acquire(), add_client(), remove_client(), post(), call() from
// any thread except where noted; Client callbacks and posted tasks run on the
// event thread. Transfer callbacks also run there (inside libusb).
#pragma once

#include <libusb.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "packline/error.h"

namespace packline::drivers {

class UsbContext {
  public:
    // Event-thread-bound callbacks. `device` stays valid during the call;
    // take libusb_ref_device() to keep it.
    class Client {
      public:
        virtual ~Client() = default;
        virtual void arrived(libusb_device* device) = 0;
        virtual void left(libusb_device* device) = 0;
    };

    // Errors: usb.init (libusb_init failed).
    static Result<std::shared_ptr<UsbContext>> acquire();
    ~UsbContext();
    UsbContext(const UsbContext&) = delete;
    UsbContext& operator=(const UsbContext&) = delete;

    libusb_context* raw() const { return context_; }
    bool has_hotplug() const { return hotplug_; }

    // Registers `client` and, on the event thread, calls arrived() for every
    // device already present. Blocks until done. Not from the event thread.
    void add_client(Client& client);
    // After it returns the event thread never calls `client` again. From any
    // thread (on the event thread it takes effect at once).
    void remove_client(Client& client);

    // Runs `task` on the event thread soon.
    void post(std::function<void()> task);
    // Runs `task` on the event thread and waits for it; on the event thread
    // itself, runs it at once.
    void call(const std::function<void()>& task);
    bool on_event_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

    // Devices present now (event thread only).
    const std::vector<libusb_device*>& devices() const { return known_; }

  private:
    UsbContext() = default;
    void run();
    void arrive(libusb_device* device);
    void leave(libusb_device* device);
    void rescan();
    static int LIBUSB_CALL on_hotplug(libusb_context* context, libusb_device* device,
                                      libusb_hotplug_event event, void* self);

    libusb_context* context_ = nullptr;
    bool hotplug_ = false;
    libusb_hotplug_callback_handle hotplug_handle_ = 0;
    std::thread thread_;

    std::mutex mutex_;  // guards tasks_, stopping_, ready_
    std::condition_variable ready_changed_;
    std::vector<std::function<void()>> tasks_;
    bool stopping_ = false;
    bool ready_ = false;

    // Event thread only.
    std::vector<Client*> clients_;
    std::vector<libusb_device*> known_;  // each holds one reference
    std::vector<std::pair<libusb_device*, libusb_hotplug_event>> hotplug_events_;
};

}  // namespace packline::drivers
