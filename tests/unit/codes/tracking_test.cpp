// Tracking number rules. Valid examples come from jkeen/tracking_number_data
// as recomputed in ../shared/reference/devices.md §7; each verified format is
// also tried one digit off, which must fail.
#include "packline/station/tracking.h"

#include <gtest/gtest.h>

#include <string>

namespace packline::station {
namespace {

struct ValidCase {
    const char* raw;
    Carrier carrier;
    const char* format;
    const char* number;  // after normalisation
    bool has_check_digit;
};

class ValidTrackingNumber : public testing::TestWithParam<ValidCase> {};

TEST_P(ValidTrackingNumber, IsDetected) {
    const ValidCase& c = GetParam();
    const TrackingCheck check = check_tracking_number(c.raw);
    EXPECT_TRUE(check.valid) << c.raw << ": " << check.message;
    EXPECT_EQ(check.carrier, c.carrier) << c.raw << " -> " << carrier_code(check.carrier);
    EXPECT_EQ(check.format, c.format) << c.raw;
    EXPECT_EQ(check.number, c.number) << c.raw;
    EXPECT_EQ(check.has_check_digit, c.has_check_digit) << c.raw;
    EXPECT_TRUE(check.reason.empty()) << c.raw;
    EXPECT_FALSE(check.message.empty()) << c.raw;
}

TEST_P(ValidTrackingNumber, IsValidForItsOwnCarrier) {
    const ValidCase& c = GetParam();
    const TrackingCheck check = check_tracking_number(c.raw, c.carrier);
    EXPECT_TRUE(check.valid) << c.raw << ": " << check.message;
    EXPECT_EQ(check.carrier, c.carrier);
}

INSTANTIATE_TEST_SUITE_P(
    Carriers, ValidTrackingNumber,
    testing::Values(
        ValidCase{"RB123456785GB", Carrier::Upu, "UPU S10", "RB123456785GB", true},
        ValidCase{"rb 123 456 785 gb", Carrier::Upu, "UPU S10", "RB123456785GB", true},
        ValidCase{"LZ123456785US", Carrier::Upu, "UPU S10", "LZ123456785US", true},
        ValidCase{"EA123456785CN", Carrier::Ems, "EMS (UPU S10)", "EA123456785CN", true},
        ValidCase{"EE987654326CN", Carrier::Ems, "EMS (UPU S10)", "EE987654326CN", true},
        ValidCase{"1Z5R89390357567127", Carrier::Ups, "UPS 1Z", "1Z5R89390357567127", true},
        ValidCase{"1Z879E930346834440", Carrier::Ups, "UPS 1Z", "1Z879E930346834440", true},
        ValidCase{"1z 5r8 939-0357-5671 27\r\n", Carrier::Ups, "UPS 1Z", "1Z5R89390357567127",
                  true},
        ValidCase{"]C01Z5R89390357567127", Carrier::Ups, "UPS 1Z", "1Z5R89390357567127", true},
        ValidCase{"9400111206206406260787", Carrier::Usps, "USPS IMpb 22", "9400111206206406260787",
                  true},
        ValidCase{"9400 1112 0620 6406 2607 87", Carrier::Usps, "USPS IMpb 22",
                  "9400111206206406260787", true},
        ValidCase{"9405803699300124287899", Carrier::Usps, "USPS IMpb 22", "9405803699300124287899",
                  true},
        ValidCase{"92748931507708513018050063", Carrier::Usps, "USPS IMpb 26",
                  "92748931507708513018050063", true},
        // 420 + ZIP routing prefix (5 or 9 digits) is dropped before the check.
        ValidCase{"420 22153 9101026837331000039521", Carrier::Usps, "USPS IMpb 22",
                  "9101026837331000039521", true},
        ValidCase{"4201002334249200190132607600833457", Carrier::Usps, "USPS IMpb 22",
                  "9200190132607600833457", true},
        ValidCase{"4202215392748931507708513018050063", Carrier::Usps, "USPS IMpb 26",
                  "92748931507708513018050063", true},
        ValidCase{"]C142022153\x1d"
                  "9101026837331000039521\r",
                  Carrier::Usps, "USPS IMpb 22", "9101026837331000039521", true},
        ValidCase{"71123456789123456787", Carrier::Usps, "USPS 20", "71123456789123456787", true},
        ValidCase{"0307 1790 0005 2348 3741", Carrier::Usps, "USPS 20", "03071790000523483741",
                  true},
        ValidCase{"7196 9010 7560 0307 7385", Carrier::Usps, "USPS 20", "71969010756003077385",
                  true},  // verifies with the "91" application identifier put back
        ValidCase{"986578788855", Carrier::Fedex, "FedEx Express 12", "986578788855", true},
        ValidCase{"9865 7878 8855", Carrier::Fedex, "FedEx Express 12", "986578788855", true},
        ValidCase{"041441760228964", Carrier::Fedex, "FedEx Ground 15", "041441760228964", true},
        ValidCase{"9611020987654312345672", Carrier::Fedex, "FedEx Ground 96",
                  "9611020987654312345672", true},
        ValidCase{"3318810025", Carrier::Dhl, "DHL Express", "3318810025", true},
        ValidCase{"33-1881-0025", Carrier::Dhl, "DHL Express", "3318810025", true},
        ValidCase{"73891051146", Carrier::Dhl, "DHL Express", "73891051146", true},
        // Format hints: no check digit to verify.
        ValidCase{"SF1234567890123", Carrier::Sf, "SF Express (format hint)", "SF1234567890123",
                  false},
        ValidCase{"sf 1234 5678 90123", Carrier::Sf, "SF Express (format hint)", "SF1234567890123",
                  false},
        ValidCase{"123456789013", Carrier::Sf, "SF Express (format hint)", "123456789013", false},
        ValidCase{"75312345678901", Carrier::Zto, "ZTO Express (format hint)", "75312345678901",
                  false},
        ValidCase{"531234567891", Carrier::Zto, "ZTO Express (format hint)", "531234567891", false},
        ValidCase{"YT1234567890123", Carrier::Yto, "YTO Express (format hint)", "YT1234567890123",
                  false},
        ValidCase{"YT12345678", Carrier::Yto, "YTO Express (format hint)", "YT12345678", false},
        ValidCase{"JDVA01234567890", Carrier::Jd, "JD Logistics (format hint)", "JDVA01234567890",
                  false},
        ValidCase{"JD0012345678901", Carrier::Jd, "JD Logistics (format hint)", "JD0012345678901",
                  false},
        ValidCase{"jdx012345678901", Carrier::Jd, "JD Logistics (format hint)", "JDX012345678901",
                  false}));

struct InvalidCase {
    const char* raw;
    const char* reason;
    Carrier carrier;           // named in the result (the format that matched)
    const char* message_part;  // the message names the carrier
};

class InvalidTrackingNumber : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidTrackingNumber, IsRefusedWithAReason) {
    const InvalidCase& c = GetParam();
    const TrackingCheck check = check_tracking_number(c.raw);
    EXPECT_FALSE(check.valid) << c.raw;
    EXPECT_EQ(check.reason, c.reason) << c.raw << ": " << check.message;
    EXPECT_EQ(check.carrier, c.carrier) << c.raw << " -> " << carrier_code(check.carrier);
    EXPECT_NE(check.message.find(c.message_part), std::string::npos) << check.message;
}

INSTANTIATE_TEST_SUITE_P(
    OneDigitOff, InvalidTrackingNumber,
    testing::Values(
        InvalidCase{"RB123456784GB", "tracking.bad_check_digit", Carrier::Upu,
                    "UPU S10 number with a wrong check digit"},
        InvalidCase{"RB123456795GB", "tracking.bad_check_digit", Carrier::Upu, "UPU S10"},
        InvalidCase{"EA123456786CN", "tracking.bad_check_digit", Carrier::Ems, "EMS"},
        InvalidCase{"1Z5R89390357567128", "tracking.bad_check_digit", Carrier::Ups,
                    "UPS 1Z number with a wrong check digit"},
        InvalidCase{"1Z5R89390357567227", "tracking.bad_check_digit", Carrier::Ups, "UPS 1Z"},
        InvalidCase{"1Z879E930346834441", "tracking.bad_check_digit", Carrier::Ups, "UPS 1Z"},
        InvalidCase{"9400111206206406260788", "tracking.bad_check_digit", Carrier::Usps,
                    "USPS IMpb 22"},
        InvalidCase{"9400111206206406260797", "tracking.bad_check_digit", Carrier::Usps,
                    "USPS IMpb 22"},
        InvalidCase{"92748931507708513018050064", "tracking.bad_check_digit", Carrier::Usps,
                    "USPS IMpb 26"},
        InvalidCase{"420 22153 9101026837331000039522", "tracking.bad_check_digit", Carrier::Usps,
                    "USPS IMpb 22"},
        InvalidCase{"71123456789123456788", "tracking.bad_check_digit", Carrier::Usps, "USPS 20"},
        InvalidCase{"041441760228965", "tracking.bad_check_digit", Carrier::Fedex,
                    "FedEx Ground 15"},
        InvalidCase{"041441760228974", "tracking.bad_check_digit", Carrier::Fedex,
                    "FedEx Ground 15"},
        InvalidCase{"9611020987654312345673", "tracking.bad_check_digit", Carrier::Fedex,
                    "FedEx Ground 96"},
        InvalidCase{"3318810026", "tracking.bad_check_digit", Carrier::Dhl, "DHL Express"},
        InvalidCase{"3318810125", "tracking.bad_check_digit", Carrier::Dhl, "DHL Express"},
        InvalidCase{"73891051147", "tracking.bad_check_digit", Carrier::Dhl, "DHL Express"}));

INSTANTIATE_TEST_SUITE_P(
    WrongShape, InvalidTrackingNumber,
    testing::Values(
        InvalidCase{"", "tracking.empty", Carrier::Unknown, "No tracking number"},
        InvalidCase{"   ", "tracking.empty", Carrier::Unknown, "No tracking number"},
        InvalidCase{" - - ", "tracking.empty", Carrier::Unknown, "No tracking number"},
        InvalidCase{"\r\n", "tracking.empty", Carrier::Unknown, "No tracking number"},
        InvalidCase{"RB12345678GB", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"RB1234567855GB", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"RB12345678OGB", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"1Z5R8939035756712", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"1Z5R8939035756712O", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"94001112062064062607B7", "tracking.unknown_format", Carrier::Unknown,
                    "any known"},
        InvalidCase{"33188I0025", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"331881002", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"12345", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"SF123456789012", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"YT1234567", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"hello world", "tracking.unknown_format", Carrier::Unknown, "any known"},
        InvalidCase{"\xff\xfe\x01", "tracking.unknown_format", Carrier::Unknown, "any known"}));

TEST(TrackingNumber, HugeInputIsRefusedNotCrashed) {
    const TrackingCheck check = check_tracking_number(std::string(100000, '9'));
    EXPECT_FALSE(check.valid);
    EXPECT_EQ(check.reason, "tracking.unknown_format");
}

// A FedEx Express number with a wrong check digit still has the shape of an
// old SF Express number, and SF publishes no check digit: alone it is only a
// hint, but an order booked with FedEx refuses it.
TEST(TrackingNumber, FedexOneDigitOffIsOnlyAnSfHint) {
    const TrackingCheck detected = check_tracking_number("986578788856");
    EXPECT_TRUE(detected.valid);
    EXPECT_EQ(detected.carrier, Carrier::Sf);
    EXPECT_FALSE(detected.has_check_digit);

    for (const char* number : {"986578788856", "986578788955"}) {
        const TrackingCheck check = check_tracking_number(number, Carrier::Fedex);
        EXPECT_FALSE(check.valid) << number;
        EXPECT_EQ(check.reason, "tracking.bad_check_digit") << number;
        EXPECT_EQ(check.carrier, Carrier::Fedex) << number;
        EXPECT_NE(check.message.find("FedEx Express 12 number with a wrong check digit"),
                  std::string::npos)
            << check.message;
    }
}

TEST(TrackingNumber, TwelveDigitsStartingWith7FitBothZtoAndSf) {
    const TrackingCheck check = check_tracking_number("731234567890");
    ASSERT_TRUE(check.valid);
    EXPECT_EQ(check.carrier, Carrier::Zto);
    EXPECT_NE(check.message.find("also fits SF Express"), std::string::npos) << check.message;
    EXPECT_TRUE(check_tracking_number("731234567890", Carrier::Sf).valid);
}

struct ExpectedCase {
    const char* raw;
    Carrier expected;
    bool valid;
    const char* reason;
    Carrier carrier;
};

class ExpectedCarrier : public testing::TestWithParam<ExpectedCase> {};

TEST_P(ExpectedCarrier, DecidesForTheOrdersCarrier) {
    const ExpectedCase& c = GetParam();
    const TrackingCheck check = check_tracking_number(c.raw, c.expected);
    EXPECT_EQ(check.valid, c.valid) << c.raw << ": " << check.message;
    EXPECT_EQ(check.reason, c.reason) << c.raw << ": " << check.message;
    EXPECT_EQ(check.carrier, c.carrier) << c.raw << " -> " << carrier_code(check.carrier);
    EXPECT_FALSE(check.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Orders, ExpectedCarrier,
    testing::Values(
        ExpectedCase{"1Z5R89390357567127", Carrier::Ups, true, "", Carrier::Ups},
        ExpectedCase{"1Z5R89390357567127", Carrier::Fedex, false, "tracking.wrong_carrier",
                     Carrier::Ups},
        ExpectedCase{"1Z5R89390357567128", Carrier::Ups, false, "tracking.bad_check_digit",
                     Carrier::Ups},
        ExpectedCase{"1Z5R89390357567128", Carrier::Fedex, false, "tracking.unknown_format",
                     Carrier::Unknown},
        ExpectedCase{"EA123456785CN", Carrier::Upu, true, "", Carrier::Upu},
        ExpectedCase{"EA123456785CN", Carrier::Ems, true, "", Carrier::Ems},
        ExpectedCase{"RB123456785GB", Carrier::Ems, false, "tracking.wrong_carrier", Carrier::Upu},
        ExpectedCase{"LZ123456785US", Carrier::Usps, true, "", Carrier::Usps},
        ExpectedCase{"RB123456785GB", Carrier::Usps, false, "tracking.wrong_carrier", Carrier::Upu},
        ExpectedCase{"986578788855", Carrier::Fedex, true, "", Carrier::Fedex},
        ExpectedCase{"986578788855", Carrier::Sf, true, "", Carrier::Sf},
        ExpectedCase{"986578788855", Carrier::Dhl, false, "tracking.wrong_carrier", Carrier::Fedex},
        ExpectedCase{"SF1234567890123", Carrier::Ups, false, "tracking.wrong_carrier", Carrier::Sf},
        ExpectedCase{"YT1234567890123", Carrier::Zto, false, "tracking.wrong_carrier",
                     Carrier::Yto},
        ExpectedCase{"3318810026", Carrier::Dhl, false, "tracking.bad_check_digit", Carrier::Dhl},
        ExpectedCase{"12345", Carrier::Dhl, false, "tracking.unknown_format", Carrier::Unknown},
        ExpectedCase{"", Carrier::Dhl, false, "tracking.empty", Carrier::Unknown},
        ExpectedCase{"9400111206206406260787", Carrier::Unknown, true, "", Carrier::Usps}));

TEST(TrackingNumber, WrongCarrierMessageNamesBoth) {
    const TrackingCheck check = check_tracking_number("1Z5R89390357567127", Carrier::Fedex);
    EXPECT_NE(check.message.find("UPS"), std::string::npos) << check.message;
    EXPECT_NE(check.message.find("FedEx"), std::string::npos) << check.message;
}

TEST(NormalizeTrackingNumber, Table) {
    struct Case {
        const char* raw;
        const char* normalised;
    };
    for (const Case& c : {
             Case{" 1z5r 8939-0357 5671 27\r\n", "1Z5R89390357567127"},
             Case{"]C01Z5R89390357567127", "1Z5R89390357567127"},
             Case{"  ]C0rb123456785gb", "RB123456785GB"},
             Case{"420221539101026837331000039521", "9101026837331000039521"},
             Case{"4201002334249200190132607600833457", "9200190132607600833457"},
             Case{"4202215392748931507708513018050063", "92748931507708513018050063"},
             Case{"9400111206206406260787", "9400111206206406260787"},
             Case{"430221539101026837331000039521", "430221539101026837331000039521"},
             Case{"", ""},
         }) {
        EXPECT_EQ(normalize_tracking_number(c.raw), c.normalised) << c.raw;
    }
}

TEST(CarrierCode, RoundTripsEveryCarrier) {
    for (Carrier carrier :
         {Carrier::Unknown, Carrier::Upu, Carrier::Ups, Carrier::Usps, Carrier::Fedex, Carrier::Dhl,
          Carrier::Sf, Carrier::Zto, Carrier::Yto, Carrier::Jd, Carrier::Ems}) {
        EXPECT_EQ(carrier_from_code(carrier_code(carrier)), carrier) << carrier_code(carrier);
        EXPECT_FALSE(carrier_display_name(carrier).empty());
    }
}

TEST(CarrierCode, AcceptsAliasesCaseInsensitively) {
    EXPECT_EQ(carrier_from_code("DHL-Express"), Carrier::Dhl);
    EXPECT_EQ(carrier_from_code("dhl_express"), Carrier::Dhl);
    EXPECT_EQ(carrier_from_code("SF-Express"), Carrier::Sf);
    EXPECT_EQ(carrier_from_code("china-ems"), Carrier::Ems);
    EXPECT_EQ(carrier_from_code("FedEx"), Carrier::Fedex);
    EXPECT_EQ(carrier_from_code("dhl "), std::nullopt);
    EXPECT_EQ(carrier_from_code("royal-mail"), std::nullopt);
    EXPECT_EQ(carrier_from_code(""), std::nullopt);
}

}  // namespace
}  // namespace packline::station
