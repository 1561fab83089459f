// A umockdev testbed with fake USB HID devices the test drives at run time,
// reached by the real libusb code path (the umockdev preload library stands
// in for sysfs, /dev/bus/usb and the udev monitor).
//
// How: each fake device is a sysfs entry (device descriptors in the
// "descriptors" attribute, built from the spec) plus a UMockdevIoctlBase
// subclass attached to its /dev/bus/usb node that answers usbdevfs ioctls:
// interrupt-IN URBs stay pending until the test calls send(); control IN
// GET_DESCRIPTOR(Report) returns the spec's report descriptor (the .ioctl
// replay files cannot do control IN, test-harnesses.md §1); interrupt OUT and
// control OUT are recorded for received(). unplug() completes pending URBs
// with ENODEV, sends the "remove" uevent and removes the device; add() again
// is a replug.
//
// Tests must run under LD_PRELOAD=libumockdev-preload.so.0: call
// usb_testbed_reexec_under_preload() before anything else (a namespace-scope
// initializer in the test file does it), which re-executes the test program
// with the variable set, so plain `ctest` works.
//
// Thread-safety: UsbTestbed from the test thread; FakeHidDevice::send() and
// received() from any thread (the ioctl handler runs on umockdev's thread).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace packline::testing {

// Re-executes /proc/self/exe with LD_PRELOAD=libumockdev-preload.so.0 unless
// it is set already. Returns false when it could not (library missing).
bool usb_testbed_reexec_under_preload();
// True when the preload library is active (checked after a testbed exists).
bool usb_testbed_available();

struct FakeHidSpec {
    std::uint16_t vendor = 0x0922;
    std::uint16_t product = 0x8003;
    std::uint8_t bus = 1;
    std::uint8_t address = 2;
    std::uint8_t in_endpoint = 0x81;
    std::uint16_t in_packet_size = 6;
    std::optional<std::uint8_t> out_endpoint;  // interrupt OUT, e.g. 0x02
    std::vector<std::uint8_t> report_descriptor{0x05, 0x8D, 0x09, 0x01, 0xA1, 0x01, 0xC0};
    bool stall_output = false;  // refuse interrupt OUT and SET_REPORT (a scale that cannot zero)
};

class FakeHidDevice {
  public:
    struct Impl;
    explicit FakeHidDevice(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
    // Queues one input report; it completes the pending interrupt-IN URB.
    void send(const std::vector<std::uint8_t>& report);
    // Interrupt OUT payloads, and control OUT transfers as setup (8 bytes) + data.
    std::vector<std::vector<std::uint8_t>> received() const;
    const FakeHidSpec& spec() const;
    std::shared_ptr<Impl> impl() const { return impl_; }

  private:
    std::shared_ptr<Impl> impl_;
};

class UsbTestbed {
  public:
    UsbTestbed();
    ~UsbTestbed();
    UsbTestbed(const UsbTestbed&) = delete;
    UsbTestbed& operator=(const UsbTestbed&) = delete;

    // Adds the device (emits the "add" uevent). Empty error string on success.
    FakeHidDevice add(const FakeHidSpec& spec, std::string* error = nullptr);
    // The fixed-replay route: a .umockdev description plus a .ioctl script
    // for `devnode` (records replay in order, then wrap around). Add it
    // before opening the driver. Empty string on success, else the error.
    std::string add_replay(const std::string& umockdev_file, const std::string& devnode,
                           const std::string& ioctl_file);
    // ENODEV for pending URBs, "remove" uevent, device removed.
    void unplug(const FakeHidDevice& device);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace packline::testing
