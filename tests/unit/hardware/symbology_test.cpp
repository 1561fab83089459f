// One list of symbologies for the product: every value has its own name and
// the name reads back to the value; the scanner's meaning of a scan, the
// camera's formats and the label's barcodes are values of it.
#include "packline/hardware/symbology.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace packline::hardware {
namespace {

TEST(Symbology, EveryValueHasItsOwnNameThatReadsBack) {
    std::set<std::string> names;
    for (int value = static_cast<int>(Symbology::Unknown);
         value <= static_cast<int>(Symbology::Aztec); ++value) {
        const auto symbology = static_cast<Symbology>(value);
        const std::string name(symbology_name(symbology));
        EXPECT_TRUE(names.insert(name).second) << name << " twice";
        EXPECT_EQ(symbology_from_name(name), symbology) << name;
    }
    EXPECT_EQ(names.size(), 18u);
    EXPECT_EQ(symbology_name(Symbology::Gs1_128), "gs1-128");
    EXPECT_EQ(symbology_name(Symbology::QrCode), "qrcode");
    EXPECT_FALSE(symbology_from_name("maxicode"));
    EXPECT_FALSE(symbology_from_name("Code128"));  // one spelling: the name's
}

}  // namespace
}  // namespace packline::hardware
