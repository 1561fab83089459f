#include "usb_hid_link.h"

#include <algorithm>
#include <future>
#include <utility>

#include "packline/drivers/usb_errors.h"
#include "packline/hardware/device_errors.h"

namespace packline::drivers {

// One libusb transfer and the buffer it reads or writes, owned together: the
// link holds it while it is in flight and frees both when it is finished or
// was never submitted.
struct UsbHidLink::Transfer {
    explicit Transfer(UsbHidLink* link_) : link(link_), transfer(libusb_alloc_transfer(0)) {}
    ~Transfer() {
        if (transfer != nullptr) libusb_free_transfer(transfer);
    }
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    UsbHidLink* link;
    libusb_transfer* transfer;  // null when libusb had no memory
    std::vector<std::uint8_t> buffer;
    bool input = false;
    std::function<void(Status)> done;
};

namespace {

constexpr unsigned kReportTimeoutMs = 2000;
constexpr int kMaxConsecutiveReadErrors = 10;
// HID class requests (HID 1.11 §7.2).
constexpr std::uint8_t kHidSetReport = 0x09;
// bmRequestType: host-to-device, class, interface.
constexpr std::uint8_t kHidClassInterfaceOut = 0x21;

void set_ref(libusb_device*& slot, libusb_device* device) {
    if (slot != nullptr) libusb_unref_device(slot);
    slot = device != nullptr ? libusb_ref_device(device) : nullptr;
}

}  // namespace

UsbHidLink::UsbHidLink(UsbHidLinkOptions options, Handlers handlers)
    : options_(std::move(options)), handlers_(std::move(handlers)) {}

UsbHidLink::~UsbHidLink() {
    close();
}

std::string UsbHidLink::what() const {
    return std::string(to_string(options_.role));
}

void UsbHidLink::post(hardware::DeviceEvent event) {
    if (closing_) return;
    std::lock_guard lock(mutex_);
    if (sink_ != nullptr) sink_->post(std::move(event));
}

void UsbHidLink::try_post(hardware::DeviceEvent event) {
    if (closing_) return;
    std::lock_guard lock(mutex_);
    if (sink_ != nullptr) sink_->try_post(std::move(event));
}

void UsbHidLink::post_status(hardware::DeviceHealth health, std::string detail) {
    hardware::DeviceStatusEvent event;
    event.device = options_.id;
    event.kind = options_.role == UsbDeviceRole::Scale ? hardware::DeviceKind::Scale
                                                       : hardware::DeviceKind::Scanner;
    event.health = health;
    event.detail = std::move(detail);
    event.at_ms = hardware::now_ms();
    post(std::move(event));
}

Status UsbHidLink::open(hardware::EventSink& sink) {
    {
        std::lock_guard lock(mutex_);
        if (sink_ != nullptr) {
            return Error(errors::kDeviceAlreadyOpen,
                         what() + " " + options_.id + " is already open");
        }
    }
    auto context = UsbContext::acquire();
    if (!context) return context.error().context(what() + " " + options_.id);
    context_ = std::move(context).value();
    {
        std::lock_guard lock(mutex_);
        sink_ = &sink;
    }
    closing_ = false;
    context_->add_client(*this);
    context_->call([this] {
        if (device_ == nullptr && faulty_device_ == nullptr) {
            post_status(hardware::DeviceHealth::Absent, "no USB " + what() + " connected");
        }
    });
    return {};
}

void UsbHidLink::close() {
    if (!context_) return;
    context_->call([this] {
        closing_ = true;
        context_->remove_client(*this);
        if (device_ != nullptr) drop(hardware::DeviceHealth::Absent, "closed");
    });
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return in_flight_ == 0 && released_; });
    }
    context_->call([this] {
        set_ref(faulty_device_, nullptr);
        set_ref(gone_device_, nullptr);
        for (auto* device : not_ours_)
            libusb_unref_device(device);
        not_ours_.clear();
    });
    {
        std::lock_guard lock(mutex_);
        sink_ = nullptr;
    }
    context_.reset();
}

void UsbHidLink::arrived(libusb_device* device) {
    if (device_ == nullptr && !release_pending_) bind(device);
}

void UsbHidLink::left(libusb_device* device) {
    if (const auto found = std::find(not_ours_.begin(), not_ours_.end(), device);
        found != not_ours_.end()) {
        libusb_unref_device(*found);
        not_ours_.erase(found);
    }
    if (device == gone_device_) set_ref(gone_device_, nullptr);
    if (device == faulty_device_) {
        set_ref(faulty_device_, nullptr);
        if (device_ == nullptr) post_status(hardware::DeviceHealth::Absent, what() + " unplugged");
    }
    if (device == device_) drop(hardware::DeviceHealth::Absent, what() + " unplugged");
}

void UsbHidLink::bind(libusb_device* device) {
    if (closing_ || device == gone_device_ || device == faulty_device_) return;
    if (std::find(not_ours_.begin(), not_ours_.end(), device) != not_ours_.end()) return;
    const auto id = usb_vid_pid(device);
    if (options_.vid_pid && *options_.vid_pid != id) return;
    if (options_.bus_address && *options_.bus_address != usb_bus_address(device)) return;

    libusb_device_handle* handle = nullptr;
    auto match = match_by_table(device, options_.table);
    if (match && match->role != options_.role) return;
    if (!match) {
        if (usb_hid_interfaces(device).empty()) return;
        match = match_by_usage_page(device, nullptr, options_.role);
        if (!match) {
            // Not in the table and sysfs has no report descriptor: ask the
            // device (GET_DESCRIPTOR is a sync control transfer; we are on
            // the event thread but outside libusb's event handling).
            if (libusb_open(device, &handle) != LIBUSB_SUCCESS) return;
            match = match_by_usage_page(device, handle, options_.role);
            if (!match) {
                libusb_close(handle);
                // Not asked again until it is replugged (keyboards, mice).
                not_ours_.push_back(libusb_ref_device(device));
                return;
            }
        }
    }
    const std::string node = usb_device_node(device);
    if (match->hid.in_endpoint == 0) {
        if (handle != nullptr) libusb_close(handle);
        set_ref(faulty_device_, device);
        post_status(hardware::DeviceHealth::Faulty,
                    match->name + " at " + node + " has no HID interrupt IN endpoint");
        return;
    }
    if (handle == nullptr) {
        const int status = libusb_open(device, &handle);
        if (status != LIBUSB_SUCCESS) {
            set_ref(faulty_device_, device);
            post_status(hardware::DeviceHealth::Faulty,
                        status == LIBUSB_ERROR_ACCESS
                            ? "no permission on " + node + ": install the udev rules"
                            : match->name + " at " + node + ": open: " + usb_error_text(status));
            return;
        }
    }

    std::string notes;
    const int interface = match->hid.number;
    detached_ = false;
    if (options_.detach_kernel_driver && libusb_kernel_driver_active(handle, interface) == 1) {
        const int status = libusb_detach_kernel_driver(handle, interface);
        if (status == LIBUSB_SUCCESS) {
            detached_ = true;
        } else {
            notes += "; kernel driver detach failed: " + usb_error_text(status);
        }
    }
    // A failed claim is not fatal: transfers may still work (umockdev answers
    // claim itself; some platforms refuse it for HID).
    const int claim = libusb_claim_interface(handle, interface);
    claimed_ = claim == LIBUSB_SUCCESS;
    if (!claimed_) notes += "; claim failed: " + usb_error_text(claim);

    handle_ = handle;
    set_ref(device_, device);
    set_ref(faulty_device_, nullptr);
    match_ = *match;
    in_errors_ = 0;
    {
        std::lock_guard lock(mutex_);
        released_ = false;
    }
    if (ever_connected_ && options_.recorder != nullptr) options_.recorder->back();
    ever_connected_ = true;
    if (handlers_.connected) handlers_.connected(match_);
    if (!submit_in()) return;  // dropped
    post_status(hardware::DeviceHealth::Present, match_.name + " (" + to_string(match_.id) +
                                                     ") at usb " + to_string(match_.address) +
                                                     ", matched by " + match_.matched_by + notes);
}

bool UsbHidLink::submit_in() {
    auto transfer = std::make_unique<Transfer>(this);
    transfer->input = true;
    if (transfer->transfer == nullptr) {
        drop(hardware::DeviceHealth::Faulty, what() + " read: out of memory for a transfer");
        return false;
    }
    // One report per transfer: exactly the endpoint's packet size.
    transfer->buffer.resize(match_.hid.in_packet_size > 0 ? match_.hid.in_packet_size : 64);
    libusb_fill_interrupt_transfer(
        transfer->transfer, handle_, match_.hid.in_endpoint, transfer->buffer.data(),
        static_cast<int>(transfer->buffer.size()), &UsbHidLink::on_transfer, transfer.get(), 0);
    const int status = libusb_submit_transfer(transfer->transfer);
    if (status != LIBUSB_SUCCESS) {
        drop(status == LIBUSB_ERROR_NO_DEVICE ? hardware::DeviceHealth::Absent
                                              : hardware::DeviceHealth::Faulty,
             status == LIBUSB_ERROR_NO_DEVICE ? what() + " unplugged"
                                              : what() + " read: " + usb_error_text(status));
        return false;
    }
    in_ = transfer.get();
    transfers_.push_back(std::move(transfer));
    std::lock_guard lock(mutex_);
    ++in_flight_;
    return true;
}

void UsbHidLink::finished(Transfer* transfer) {
    if (transfer == in_) in_ = nullptr;
    std::erase_if(transfers_, [transfer](const std::unique_ptr<Transfer>& owned) {
        return owned.get() == transfer;
    });
    {
        std::lock_guard lock(mutex_);
        --in_flight_;
    }
    changed_.notify_all();
    // libusb_close() is not for transfer callbacks: release after the event
    // handling returns.
    if (release_pending_ && transfers_.empty()) context_->post([this] { release(); });
}

void LIBUSB_CALL UsbHidLink::on_transfer(libusb_transfer* raw) {
    auto* transfer = static_cast<Transfer*>(raw->user_data);
    UsbHidLink* link = transfer->link;
    if (transfer->input) {
        link->in_done(raw);
        return;
    }
    Status outcome;
    switch (raw->status) {
        case LIBUSB_TRANSFER_COMPLETED:
            break;
        case LIBUSB_TRANSFER_STALL:
            outcome = Error(errors::kUsbStall, "the device refused the report (stall)");
            break;
        case LIBUSB_TRANSFER_NO_DEVICE:
            outcome = Error(errors::kUsbNotConnected, link->what() + " unplugged");
            break;
        case LIBUSB_TRANSFER_TIMED_OUT:
            outcome = Error(errors::kUsbTransfer,
                            "no answer within " + std::to_string(kReportTimeoutMs) + " ms");
            break;
        default:
            outcome = Error(
                errors::kUsbTransfer,
                "transfer failed (status " + std::to_string(static_cast<int>(raw->status)) + ")");
            break;
    }
    auto done = std::move(transfer->done);
    link->finished(transfer);
    if (done) done(std::move(outcome));
}

void UsbHidLink::in_done(libusb_transfer* raw) {
    auto* transfer = static_cast<Transfer*>(raw->user_data);
    switch (raw->status) {
        case LIBUSB_TRANSFER_COMPLETED:
            in_errors_ = 0;
            if (!closing_ && !release_pending_) {
                const std::span<const std::uint8_t> bytes(
                    transfer->buffer.data(), static_cast<std::size_t>(raw->actual_length));
                if (options_.recorder != nullptr) options_.recorder->data(bytes);
                if (handlers_.report) handlers_.report(bytes, hardware::now_ms());
            }
            break;
        case LIBUSB_TRANSFER_TIMED_OUT:
            break;
        case LIBUSB_TRANSFER_CANCELLED:
            finished(transfer);
            return;
        case LIBUSB_TRANSFER_NO_DEVICE:
            finished(transfer);
            drop(hardware::DeviceHealth::Absent, what() + " unplugged");
            return;
        default:
            if (++in_errors_ >= kMaxConsecutiveReadErrors) {
                finished(transfer);
                drop(hardware::DeviceHealth::Faulty,
                     what() + " read failed " + std::to_string(in_errors_) +
                         " times (transfer status " +
                         std::to_string(static_cast<int>(raw->status)) + ")");
                return;
            }
            break;
    }
    if (closing_ || release_pending_) {
        finished(transfer);
        return;
    }
    const int status = libusb_submit_transfer(raw);
    if (status != LIBUSB_SUCCESS) {
        finished(transfer);
        drop(status == LIBUSB_ERROR_NO_DEVICE ? hardware::DeviceHealth::Absent
                                              : hardware::DeviceHealth::Faulty,
             status == LIBUSB_ERROR_NO_DEVICE ? what() + " unplugged"
                                              : what() + " read: " + usb_error_text(status));
    }
}

void UsbHidLink::drop(hardware::DeviceHealth health, const std::string& detail) {
    if (device_ == nullptr || release_pending_) return;
    if (!closing_) {
        post_status(health, detail);
        if (options_.recorder != nullptr) options_.recorder->gone();
        if (handlers_.disconnected) handlers_.disconnected();
    }
    // A device that fails while present must not be rebound at once, and
    // one that said NO_DEVICE is not rebound before libusb reports it LEFT.
    if (health == hardware::DeviceHealth::Faulty) set_ref(faulty_device_, device_);
    if (health == hardware::DeviceHealth::Absent && !closing_) set_ref(gone_device_, device_);
    release_pending_ = true;
    for (const auto& transfer : transfers_)
        libusb_cancel_transfer(transfer->transfer);
    // drop() may run inside a transfer callback, where libusb_close() would
    // deadlock: release after the event handling returns.
    if (transfers_.empty()) context_->post([this] { release(); });
}

void UsbHidLink::release() {
    if (!release_pending_ || !transfers_.empty()) return;
    if (handle_ != nullptr) {
        if (claimed_) libusb_release_interface(handle_, match_.hid.number);
        if (detached_) libusb_attach_kernel_driver(handle_, match_.hid.number);
        libusb_close(handle_);
    }
    handle_ = nullptr;
    claimed_ = false;
    detached_ = false;
    set_ref(device_, nullptr);
    release_pending_ = false;
    {
        std::lock_guard lock(mutex_);
        released_ = true;
    }
    changed_.notify_all();
    if (closing_) return;
    // Another matching device may be present already.
    for (auto* device : std::vector<libusb_device*>(context_->devices())) {
        if (device_ != nullptr) break;
        bind(device);
    }
}

void UsbHidLink::send_report_async(std::vector<std::uint8_t> report, HidReportType type,
                                   bool use_out_endpoint, std::function<void(Status)> done) {
    if (handle_ == nullptr || release_pending_ || closing_ || report.empty()) {
        done(Error(errors::kUsbNotConnected, what() + " not connected"));
        return;
    }
    auto transfer = std::make_unique<Transfer>(this);
    if (transfer->transfer == nullptr) {
        done(Error(errors::kUsbTransfer, "submit: out of memory for a transfer"));
        return;
    }
    transfer->done = std::move(done);
    if (use_out_endpoint && match_.hid.out_endpoint) {
        transfer->buffer = std::move(report);
        libusb_fill_interrupt_transfer(transfer->transfer, handle_, *match_.hid.out_endpoint,
                                       transfer->buffer.data(),
                                       static_cast<int>(transfer->buffer.size()),
                                       &UsbHidLink::on_transfer, transfer.get(), kReportTimeoutMs);
    } else {
        transfer->buffer.resize(LIBUSB_CONTROL_SETUP_SIZE + report.size());
        // SET_REPORT: wValue = report type << 8 | report id (HID 1.11 §7.2.2).
        libusb_fill_control_setup(
            transfer->buffer.data(), kHidClassInterfaceOut, kHidSetReport,
            static_cast<std::uint16_t>((static_cast<unsigned>(type) << 8) | report.front()),
            static_cast<std::uint16_t>(match_.hid.number),
            static_cast<std::uint16_t>(report.size()));
        std::copy(report.begin(), report.end(),
                  transfer->buffer.begin() + LIBUSB_CONTROL_SETUP_SIZE);
        libusb_fill_control_transfer(transfer->transfer, handle_, transfer->buffer.data(),
                                     &UsbHidLink::on_transfer, transfer.get(), kReportTimeoutMs);
    }
    const int status = libusb_submit_transfer(transfer->transfer);
    if (status != LIBUSB_SUCCESS) {
        auto callback = std::move(transfer->done);
        transfer.reset();
        callback(Error(errors::kUsbTransfer, "submit: " + usb_error_text(status)));
        return;
    }
    transfers_.push_back(std::move(transfer));
    std::lock_guard lock(mutex_);
    ++in_flight_;
}

Status UsbHidLink::send_report(std::vector<std::uint8_t> report, HidReportType type,
                               bool use_out_endpoint, std::chrono::milliseconds timeout) {
    if (!context_) return Error(errors::kUsbNotConnected, what() + " not open");
    auto promise = std::make_shared<std::promise<Status>>();
    auto outcome = promise->get_future();
    context_->post([this, report = std::move(report), type, use_out_endpoint, promise]() mutable {
        send_report_async(std::move(report), type, use_out_endpoint,
                          [promise](Status status) { promise->set_value(std::move(status)); });
    });
    if (outcome.wait_for(timeout) != std::future_status::ready) {
        return Error(errors::kUsbTransfer,
                     "no answer within " + std::to_string(timeout.count()) + " ms");
    }
    return outcome.get();
}

}  // namespace packline::drivers
