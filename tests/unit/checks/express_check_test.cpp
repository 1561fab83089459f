// Express check: tracking number for the carrier, print job, scan-back.
#include <gtest/gtest.h>

#include "checks_fixtures.h"

namespace packline::station {
namespace {

using hardware::PrintJobState;

std::string detail(const CheckResult& result, std::string_view key) {
    for (const Detail& entry : result.details)
        if (entry.key == key) return entry.value;
    return "<no " + std::string(key) + ">";
}

struct TrackingCase {
    std::string_view label;
    std::string_view number;
    std::string_view carrier;
    bool reused = false;
    std::string_view reason;  // empty = passes
};

TEST(CheckTracking, NumberMustBeValidForTheCarrierAndUnused) {
    // Valid examples recomputed in ../shared/reference/devices.md §7.
    const TrackingCase cases[] = {
        {"UPS", "1Z5R89390357567127", "ups", false, ""},
        {"UPS lower case with spaces", "1z 5r8 939 0357 567 127", "UPS", false, ""},
        {"UPU S10", "RB123456785GB", "upu", false, ""},
        {"USPS IMpb", "9400111206206406260787", "usps", false, ""},
        {"FedEx Express", "986578788855", "fedex", false, ""},
        {"DHL Express", "3318810025", "dhl", false, ""},
        {"empty", "", "ups", false, "express.tracking_missing"},
        {"blank", "   ", "ups", false, "express.tracking_missing"},
        {"carrier not known", "1Z5R89390357567127", "acme-post", false, "express.carrier_unknown"},
        {"no carrier", "1Z5R89390357567127", "", false, "express.carrier_unknown"},
        {"UPS check digit off by one", "1Z5R89390357567128", "ups", false,
         "express.tracking_invalid"},
        {"UPS one character short", "1Z5R8939035756712", "ups", false, "express.tracking_invalid"},
        {"S10 check digit off by one", "RB123456784GB", "upu", false, "express.tracking_invalid"},
        {"garbage", "hello world!", "ups", false, "express.tracking_invalid"},
        {"huge",
         std::string_view("99999999999999999999999999999999999999999999999999999999999999999999"),
         "dhl", false, "express.tracking_invalid"},
        {"UPS number on a DHL parcel", "1Z5R89390357567127", "dhl", false, "express.wrong_carrier"},
        {"reused", "1Z5R89390357567127", "ups", true, "express.tracking_reused"},
    };
    for (const TrackingCase& c : cases) {
        const CheckResult result = check_tracking(c.number, c.carrier, c.reused);
        EXPECT_EQ(result.passed, c.reason.empty()) << c.label << ": " << result.message;
        EXPECT_EQ(result.reason, c.reason) << c.label << ": " << result.message;
        if (!result.passed) {
            EXPECT_FALSE(result.message.empty()) << c.label;
        }
    }
}

TEST(CheckTracking, DetailsCarryTheTrackingReason) {
    const CheckResult bad = check_tracking("1Z5R89390357567128", "ups", false);
    EXPECT_EQ(detail(bad, "tracking_reason"), "tracking.bad_check_digit");
    EXPECT_EQ(detail(bad, "tracking_number"), "1Z5R89390357567128");
    EXPECT_EQ(detail(bad, "expected_carrier"), "ups");
    EXPECT_NE(detail(bad, "tracking_message"), "");

    const CheckResult wrong = check_tracking("1Z5R89390357567127", "dhl", false);
    EXPECT_EQ(detail(wrong, "tracking_reason"), "tracking.wrong_carrier");
    EXPECT_EQ(detail(wrong, "seen_carrier"), "ups");
    EXPECT_EQ(detail(wrong, "expected_carrier"), "dhl");
    EXPECT_NE(wrong.message.find("UPS"), std::string::npos) << wrong.message;

    const CheckResult unknown = check_tracking("1Z5R89390357567127", "acme-post", false);
    EXPECT_EQ(unknown.message, "Carrier \"acme-post\" is not known — call a supervisor");
    EXPECT_EQ(detail(unknown, "carrier"), "acme-post");

    const CheckResult reused = check_tracking("1z5r89390357567127", "ups", true);
    EXPECT_EQ(reused.message,
              "Tracking number 1Z5R89390357567127 is already on another parcel — never ship two "
              "parcels on one number");
    EXPECT_EQ(detail(reused, "tracking_number"), "1Z5R89390357567127");
}

struct PrintCase {
    PrintJobState state;
    std::string_view detail;
    std::string_view reason;
    std::string_view message;
};

TEST(CheckLabelPrinted, OnlyACompletedJobPasses) {
    const PrintCase cases[] = {
        {PrintJobState::Completed, "", "", ""},
        {PrintJobState::Queued, "", "express.print_pending",
         "Label is still printing — wait for it"},
        {PrintJobState::Printing, "", "express.print_pending",
         "Label is still printing — wait for it"},
        {PrintJobState::Failed, "media-empty-error", "express.print_failed",
         "Label did not print (media-empty-error) — check the printer, then reprint"},
        {PrintJobState::Failed, "", "express.print_failed",
         "Label did not print — check the printer, then reprint"},
    };
    for (const PrintCase& c : cases) {
        const CheckResult result = check_label_printed(c.state, c.detail);
        SCOPED_TRACE(std::string(hardware::to_string(c.state)));
        EXPECT_EQ(result.passed, c.reason.empty());
        EXPECT_EQ(result.reason, c.reason);
        EXPECT_EQ(result.message, c.message);
    }
    EXPECT_EQ(detail(check_label_printed(PrintJobState::Failed, "media-empty-error"), "detail"),
              "media-empty-error");
}

struct ScanBackCase {
    std::string_view label;
    std::string_view order;
    std::string_view tracking;
    std::string_view reason;  // empty = passes
};

TEST(CheckScanBack, LabelMustDecodeToThisParcel) {
    const ScanBackCase cases[] = {
        {"2D code with both", "SO-1001", "1Z5R89390357567127", ""},
        {"Code 128, tracking only", "", "1Z5R89390357567127", ""},
        {"tracking as scanned, lower case", "", "1z5r 8939 0357 5671 27", ""},
        {"other order", "SO-1002", "1Z5R89390357567127", "express.label_other_order"},
        {"other order and tracking", "SO-1002", "1Z879E930346834440", "express.label_other_order"},
        {"other tracking", "SO-1001", "1Z879E930346834440", "express.label_other_tracking"},
        {"tracking one digit off", "", "1Z5R89390357567128", "express.label_other_tracking"},
        {"order but no tracking", "SO-1001", "", "express.label_other_tracking"},
        {"nothing decoded", "", "", "express.label_unreadable"},
        {"whitespace only", "  ", " ", "express.label_unreadable"},
    };
    for (const ScanBackCase& c : cases) {
        const CheckResult result =
            check_scan_back("SO-1001", "1Z5R89390357567127", c.order, c.tracking);
        EXPECT_EQ(result.passed, c.reason.empty()) << c.label << ": " << result.message;
        EXPECT_EQ(result.reason, c.reason) << c.label;
    }
}

TEST(CheckScanBack, Messages) {
    const CheckResult order =
        check_scan_back("SO-1001", "1Z5R89390357567127", "SO-1002", "1Z5R89390357567127");
    EXPECT_EQ(order.message,
              "This label belongs to order SO-1002, not SO-1001 — find the right label");
    EXPECT_EQ(detail(order, "seen_order"), "SO-1002");
    EXPECT_EQ(detail(order, "expected_order"), "SO-1001");

    const CheckResult tracking =
        check_scan_back("SO-1001", "1Z5R89390357567127", "", "1Z879E930346834440");
    EXPECT_EQ(tracking.message,
              "This label has tracking number 1Z879E930346834440, this parcel needs "
              "1Z5R89390357567127 — find the "
              "right label");
    EXPECT_EQ(detail(tracking, "seen_tracking"), "1Z879E930346834440");
    EXPECT_EQ(detail(tracking, "expected_tracking"), "1Z5R89390357567127");

    EXPECT_EQ(check_scan_back("SO-1001", "1Z5R89390357567127", "", "").message,
              "Could not read the label — scan it again");
}

}  // namespace
}  // namespace packline::station
