// The udev rules must give the station user every USB device the driver
// table knows: a model added to usb-devices.tsv without its rule would be
// found by `packline devices` and then refused for lack of permission.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "packline/drivers/usb_device_table.h"

namespace packline::drivers {
namespace {

std::string read(const std::string& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

TEST(UdevRules, CoverEveryDeviceInTheUsbTable) {
    const std::string rules =
        read(std::string(PACKLINE_SOURCE_DIR) + "/drivers/udev/60-packline.rules");
    ASSERT_FALSE(rules.empty());
    const UsbDeviceTable& table = builtin_usb_device_table();
    ASSERT_FALSE(table.entries.empty());
    for (const UsbDeviceEntry& entry : table.entries) {
        const std::string id = to_string(entry.id);  // "0922:8003"
        const std::string vid = id.substr(0, 4);
        const std::string pid = id.substr(5, 4);
        const std::string usb_rule = "ATTR{idVendor}==\"" + vid + "\", ATTR{idProduct}==\"" + pid +
                                     "\", MODE=\"0660\", GROUP=\"packline\"";
        EXPECT_NE(rules.find(usb_rule), std::string::npos) << entry.name << " " << id;
        const std::string hidraw_rule = "KERNEL==\"hidraw*\", ATTRS{idVendor}==\"" + vid +
                                        "\", ATTRS{idProduct}==\"" + pid + "\"";
        EXPECT_NE(rules.find(hidraw_rule), std::string::npos) << entry.name << " " << id;
    }
}

TEST(UdevRules, CoverSerialPortsAndSkipRemoval) {
    const std::string rules =
        read(std::string(PACKLINE_SOURCE_DIR) + "/drivers/udev/60-packline.rules");
    EXPECT_NE(rules.find("KERNEL==\"ttyUSB[0-9]*|ttyACM[0-9]*\""), std::string::npos);
    EXPECT_NE(rules.find("ACTION==\"remove\", GOTO=\"packline_end\""), std::string::npos);
    EXPECT_NE(rules.find("LABEL=\"packline_end\""), std::string::npos);
}

}  // namespace
}  // namespace packline::drivers
