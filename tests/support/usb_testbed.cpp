// See usb_testbed.h. usbdevfs semantics: linux/usbdevice_fs.h; the handler
// pattern was tried in test-harnesses.md §1 ("A device the test can change at
// run time").
#include "usb_testbed.h"

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>

namespace packline::testing {

struct FakeHidDevice::Impl {
    FakeHidSpec spec;
    std::string syspath;
    std::string devnode;

    struct Urb {
        UMockdevIoctlData* urb = nullptr;     // struct usbdevfs_urb (ref)
        UMockdevIoctlData* buffer = nullptr;  // its buffer (ref)
    };
    std::mutex mutex;
    std::condition_variable completed_changed;
    std::deque<Urb> pending_in;
    std::deque<Urb> completed;
    std::deque<std::vector<std::uint8_t>> backlog;
    std::vector<std::vector<std::uint8_t>> received;
    bool unplugged = false;
    UMockdevIoctlBase* handler = nullptr;

    static usbdevfs_urb* urb_of(const Urb& urb) {
        return reinterpret_cast<usbdevfs_urb*>(urb.urb->data);
    }

    // Fills the oldest pending IN URB from the oldest backlog report. Locked.
    void match_locked() {
        while (!pending_in.empty() && !backlog.empty()) {
            Urb urb = pending_in.front();
            pending_in.pop_front();
            auto report = std::move(backlog.front());
            backlog.pop_front();
            auto* raw = urb_of(urb);
            const auto length =
                std::min<std::size_t>(report.size(), static_cast<std::size_t>(raw->buffer_length));
            std::memcpy(urb.buffer->data, report.data(), length);
            raw->actual_length = static_cast<int>(length);
            raw->status = 0;
            completed.push_back(urb);
        }
        completed_changed.notify_all();
    }
};

namespace {

struct FakeHandler {
    UMockdevIoctlBase parent;
    FakeHidDevice::Impl* impl;
};
struct FakeHandlerClass {
    UMockdevIoctlBaseClass parent_class;
};

G_DEFINE_TYPE(FakeHandler, fake_handler, UMOCKDEV_TYPE_IOCTL_BASE)

gboolean handle_ioctl(UMockdevIoctlBase* base, UMockdevIoctlClient* client) {
    auto* impl = reinterpret_cast<FakeHandler*>(base)->impl;
    const auto request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    GError* error = nullptr;

    switch (request) {
        case USBDEVFS_GET_CAPABILITIES: {
            UMockdevIoctlData* data =
                umockdev_ioctl_data_resolve(arg, 0, sizeof(std::uint32_t), &error);
            if (data == nullptr) break;
            const std::uint32_t caps = 0;
            std::memcpy(data->data, &caps, sizeof caps);
            umockdev_ioctl_data_unref(data);
            umockdev_ioctl_client_complete(client, 0, 0);
            return TRUE;
        }
        case USBDEVFS_CLAIMINTERFACE:
        case USBDEVFS_RELEASEINTERFACE:
        case USBDEVFS_RESET:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_SETCONFIGURATION:
            umockdev_ioctl_client_complete(client, 0, 0);
            return TRUE;
        case USBDEVFS_GETDRIVER:
            umockdev_ioctl_client_complete(client, -1, ENODATA);
            return TRUE;
        case USBDEVFS_SUBMITURB: {
            UMockdevIoctlData* urb_data =
                umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), &error);
            if (urb_data == nullptr) break;
            auto* urb = reinterpret_cast<usbdevfs_urb*>(urb_data->data);
            UMockdevIoctlData* buffer =
                umockdev_ioctl_data_resolve(urb_data, offsetof(usbdevfs_urb, buffer),
                                            static_cast<gsize>(urb->buffer_length), &error);
            if (buffer == nullptr) {
                umockdev_ioctl_data_unref(urb_data);
                break;
            }
            std::lock_guard lock(impl->mutex);
            if (impl->unplugged) {
                umockdev_ioctl_data_unref(buffer);
                umockdev_ioctl_data_unref(urb_data);
                umockdev_ioctl_client_complete(client, -1, ENODEV);
                return TRUE;
            }
            FakeHidDevice::Impl::Urb entry{urb_data, buffer};
            const bool in = (urb->endpoint & 0x80) != 0;
            if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && in) {
                impl->pending_in.push_back(entry);
                impl->match_locked();
            } else if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT) {
                impl->received.emplace_back(buffer->data, buffer->data + urb->buffer_length);
                urb->status = impl->spec.stall_output ? -EPIPE : 0;
                urb->actual_length = impl->spec.stall_output ? 0 : urb->buffer_length;
                impl->completed.push_back(entry);
            } else if (urb->type == USBDEVFS_URB_TYPE_CONTROL && urb->buffer_length >= 8) {
                const std::uint8_t* setup = buffer->data;
                const unsigned w_value = setup[2] | (setup[3] << 8);
                const unsigned w_length = setup[6] | (setup[7] << 8);
                urb->status = 0;
                urb->actual_length = 0;
                if ((setup[0] & 0x80) != 0) {
                    // GET_DESCRIPTOR(Report), the only control IN we answer.
                    if (setup[1] == 0x06 && (w_value >> 8) == 0x22) {
                        const auto& descriptor = impl->spec.report_descriptor;
                        const std::size_t length = std::min<std::size_t>(
                            {descriptor.size(), w_length,
                             static_cast<std::size_t>(urb->buffer_length - 8)});
                        std::memcpy(buffer->data + 8, descriptor.data(), length);
                        urb->actual_length = static_cast<int>(length);
                    } else {
                        urb->status = -EPIPE;
                    }
                } else {
                    impl->received.emplace_back(buffer->data, buffer->data + urb->buffer_length);
                    if (impl->spec.stall_output) {
                        urb->status = -EPIPE;
                    } else {
                        urb->actual_length = static_cast<int>(w_length);
                    }
                }
                impl->completed.push_back(entry);
            } else {
                urb->status = -EPIPE;
                impl->completed.push_back(entry);
            }
            impl->completed_changed.notify_all();
            umockdev_ioctl_client_complete(client, 0, 0);
            return TRUE;
        }
        case USBDEVFS_DISCARDURB: {
            std::lock_guard lock(impl->mutex);
            // _IO ioctl: umockdev hands over the argument value itself (the URB
            // address) as 8 bytes of data.
            gulong target = arg->client_addr;
            if (arg->data_len >= static_cast<gint>(sizeof target)) {
                std::memcpy(&target, arg->data, sizeof target);
            }
            for (auto it = impl->pending_in.begin(); it != impl->pending_in.end(); ++it) {
                if (it->urb->client_addr != target) continue;
                auto* urb = FakeHidDevice::Impl::urb_of(*it);
                urb->status = -ENOENT;
                urb->actual_length = 0;
                impl->completed.push_back(*it);
                impl->pending_in.erase(it);
                impl->completed_changed.notify_all();
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            umockdev_ioctl_client_complete(client, -1, EINVAL);
            return TRUE;
        }
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY: {
            UMockdevIoctlData* data = umockdev_ioctl_data_resolve(arg, 0, sizeof(void*), &error);
            if (data == nullptr) break;
            std::unique_lock lock(impl->mutex);
            // libusb polls the fd, which is always "ready" under umockdev:
            // wait a little here instead of letting it spin.
            impl->completed_changed.wait_for(lock, std::chrono::milliseconds(20),
                                             [&] { return !impl->completed.empty(); });
            if (impl->completed.empty()) {
                umockdev_ioctl_data_unref(data);
                umockdev_ioctl_client_complete(client, -1, EAGAIN);
                return TRUE;
            }
            auto urb = impl->completed.front();
            impl->completed.pop_front();
            umockdev_ioctl_data_set_ptr(data, 0, urb.urb);
            umockdev_ioctl_data_unref(urb.buffer);
            umockdev_ioctl_data_unref(urb.urb);
            umockdev_ioctl_data_unref(data);
            umockdev_ioctl_client_complete(client, 0, 0);
            return TRUE;
        }
        default:
            umockdev_ioctl_client_complete(client, -1, ENOTTY);
            return TRUE;
    }
    if (error != nullptr) g_error_free(error);
    umockdev_ioctl_client_complete(client, -1, EFAULT);
    return TRUE;
}

void fake_handler_class_init(FakeHandlerClass* klass) {
    reinterpret_cast<UMockdevIoctlBaseClass*>(klass)->handle_ioctl = handle_ioctl;
}
void fake_handler_init(FakeHandler* self) {
    self->impl = nullptr;
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
    std::string text;
    char pair[3];
    for (auto byte : bytes) {
        std::snprintf(pair, sizeof pair, "%02X", static_cast<unsigned>(byte));
        text += pair;
    }
    return text;
}

void put16(std::vector<std::uint8_t>& bytes, unsigned value) {
    bytes.push_back(static_cast<std::uint8_t>(value & 0xFF));
    bytes.push_back(static_cast<std::uint8_t>(value >> 8));
}

// Device (18) + configuration (9) + HID interface (9) + HID descriptor (9) +
// interrupt endpoints (7 each), as usbfs serves them.
std::vector<std::uint8_t> descriptors(const FakeHidSpec& spec) {
    std::vector<std::uint8_t> bytes{0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08};
    put16(bytes, spec.vendor);
    put16(bytes, spec.product);
    bytes.insert(bytes.end(), {0x00, 0x01, 0x01, 0x02, 0x00, 0x01});
    const unsigned endpoints = spec.out_endpoint ? 2 : 1;
    const unsigned total = 9 + 9 + 9 + 7 * endpoints;
    bytes.insert(bytes.end(), {0x09, 0x02});
    put16(bytes, total);
    bytes.insert(bytes.end(), {0x01, 0x01, 0x00, 0x80, 0x32});
    bytes.insert(bytes.end(), {0x09, 0x04, 0x00, 0x00, static_cast<std::uint8_t>(endpoints), 0x03,
                               0x00, 0x00, 0x00});
    bytes.insert(bytes.end(), {0x09, 0x21, 0x10, 0x01, 0x00, 0x01, 0x22});
    put16(bytes, static_cast<unsigned>(spec.report_descriptor.size()));
    bytes.insert(bytes.end(), {0x07, 0x05, spec.in_endpoint, 0x03});
    put16(bytes, spec.in_packet_size);
    bytes.push_back(0x0A);
    if (spec.out_endpoint) {
        bytes.insert(bytes.end(), {0x07, 0x05, *spec.out_endpoint, 0x03});
        put16(bytes, spec.in_packet_size);
        bytes.push_back(0x0A);
    }
    return bytes;
}

std::string three_digits(unsigned value) {
    char text[8];
    std::snprintf(text, sizeof text, "%03u", value);
    return text;
}

}  // namespace

void FakeHidDevice::send(const std::vector<std::uint8_t>& report) {
    std::lock_guard lock(impl_->mutex);
    impl_->backlog.push_back(report);
    impl_->match_locked();
}

std::vector<std::vector<std::uint8_t>> FakeHidDevice::received() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

const FakeHidSpec& FakeHidDevice::spec() const {
    return impl_->spec;
}

bool usb_testbed_reexec_under_preload() {
    const char* preload = std::getenv("LD_PRELOAD");
    if (preload != nullptr && std::strstr(preload, "libumockdev-preload") != nullptr) return true;
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(cmdline)),
                          std::istreambuf_iterator<char>());
    std::vector<std::string> args;
    for (std::size_t start = 0; start < all.size();) {
        const auto end = all.find('\0', start);
        args.push_back(all.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::string value = "libumockdev-preload.so.0";
    if (preload != nullptr && *preload != '\0') value += std::string(":") + preload;
    setenv("LD_PRELOAD", value.c_str(), 1);
    // Sanitizer builds (PACKLINE_SANITIZE): the ASan runtime is then not
    // first in the library list; it works, but only when told not to check.
    std::string asan = std::getenv("ASAN_OPTIONS") != nullptr ? std::getenv("ASAN_OPTIONS") : "";
    asan += std::string(asan.empty() ? "" : ":") + "verify_asan_link_order=0";
    setenv("ASAN_OPTIONS", asan.c_str(), 1);
    execv("/proc/self/exe", argv.data());
    unsetenv("LD_PRELOAD");
    return false;  // exec failed: tests skip
}

bool usb_testbed_available() {
    return umockdev_in_mock_environment() != FALSE;
}

struct UsbTestbed::State {
    UMockdevTestbed* testbed = nullptr;
    std::vector<std::shared_ptr<FakeHidDevice::Impl>> devices;
};

UsbTestbed::UsbTestbed() : state_(std::make_unique<State>()) {
    state_->testbed = umockdev_testbed_new();
}

UsbTestbed::~UsbTestbed() {
    for (auto& device : state_->devices) {
        if (device->handler != nullptr) {
            umockdev_testbed_detach_ioctl(state_->testbed, device->devnode.c_str(), nullptr);
            g_object_unref(device->handler);
            device->handler = nullptr;
        }
    }
    g_object_unref(state_->testbed);
}

FakeHidDevice UsbTestbed::add(const FakeHidSpec& spec, std::string* error_text) {
    auto impl = std::make_shared<FakeHidDevice::Impl>();
    impl->spec = spec;
    const std::string bus = three_digits(spec.bus);
    const std::string address = three_digits(spec.address);
    const std::string port = std::to_string(spec.bus) + "-" + std::to_string(spec.address - 1);
    const std::string path =
        "/devices/pci0000:00/0000:00:14.0/usb" + std::to_string(spec.bus) + "/" + port;
    impl->syspath = "/sys" + path;
    impl->devnode = "/dev/bus/usb/" + bus + "/" + address;
    const std::string descriptor_hex = hex(descriptors(spec));
    char vid_pid[64];
    std::snprintf(vid_pid, sizeof vid_pid, "A: idVendor=%04x\nA: idProduct=%04x\n", spec.vendor,
                  spec.product);
    const std::string text =
        "P: " + path + "\nN: bus/usb/" + bus + "/" + address + "=" + descriptor_hex +
        "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=" + impl->devnode +
        "\nE: BUSNUM=" + bus + "\nE: DEVNUM=" + address +
        "\nA: busnum=" + std::to_string(spec.bus) +
        "\\n\nA: devnum=" + std::to_string(spec.address) +
        "\\n\nA: dev=189:" + std::to_string((spec.bus - 1) * 128 + spec.address - 1) + "\n" +
        vid_pid + "A: bConfigurationValue=1\\n\nA: speed=12\\n\nH: descriptors=" + descriptor_hex +
        "\n";

    GError* error = nullptr;
    // The handler must be in place before the "add" uevent: the driver opens
    // the device as soon as it hears of it.
    auto* handler = static_cast<FakeHandler*>(g_object_new(fake_handler_get_type(), nullptr));
    handler->impl = impl.get();
    impl->handler = reinterpret_cast<UMockdevIoctlBase*>(handler);
    if (!umockdev_testbed_attach_ioctl(state_->testbed, impl->devnode.c_str(), impl->handler,
                                       &error)) {
        if (error_text != nullptr) *error_text = std::string("attach_ioctl: ") + error->message;
        g_error_free(error);
        error = nullptr;
    }
    if (!umockdev_testbed_add_from_string(state_->testbed, text.c_str(), &error)) {
        if (error_text != nullptr) *error_text = std::string("add_from_string: ") + error->message;
        g_error_free(error);
    }
    state_->devices.push_back(impl);
    return FakeHidDevice(impl);
}

std::string UsbTestbed::add_replay(const std::string& umockdev_file, const std::string& devnode,
                                   const std::string& ioctl_file) {
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_file(state_->testbed, umockdev_file.c_str(), &error) ||
        !umockdev_testbed_load_ioctl(state_->testbed, devnode.c_str(), ioctl_file.c_str(),
                                     &error)) {
        std::string text = error != nullptr ? error->message : "unknown error";
        if (error != nullptr) g_error_free(error);
        return text;
    }
    return "";
}

void UsbTestbed::unplug(const FakeHidDevice& device) {
    auto impl = device.impl();
    {
        std::lock_guard lock(impl->mutex);
        impl->unplugged = true;
        for (auto& urb : impl->pending_in) {
            auto* raw = FakeHidDevice::Impl::urb_of(urb);
            raw->status = -ENODEV;
            raw->actual_length = 0;
            impl->completed.push_back(urb);
        }
        impl->pending_in.clear();
        impl->completed_changed.notify_all();
    }
    umockdev_testbed_uevent(state_->testbed, impl->syspath.c_str(), "remove");
    umockdev_testbed_remove_device(state_->testbed, impl->syspath.c_str());
    // A replug attaches a fresh handler to the same node.
    if (impl->handler != nullptr) {
        umockdev_testbed_detach_ioctl(state_->testbed, impl->devnode.c_str(), nullptr);
        g_object_unref(impl->handler);
        impl->handler = nullptr;
    }
}

}  // namespace packline::testing
