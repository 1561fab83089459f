// The reason catalogue: every code a check returns is catalogued and
// documented in docs/checks.md, and every catalogued code can be returned.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>

#include "checks_fixtures.h"

namespace packline::station {
namespace {

using hardware::PrintJobState;
using hardware::WeightReading;
using hardware::WeightStatus;
using testing::catalogue;
using testing::london_recipient;
using testing::order_with;
using testing::scanned;

std::string read_docs() {
    std::ifstream file(PACKLINE_SOURCE_DIR "/docs/checks.md");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// At least one way to make every check fail, covering every reason code.
std::vector<CheckResult> failures() {
    std::vector<CheckResult> results;
    auto order_in = [](OrderStatus status) {
        Order order = order_with({{"TEE-RED-L", 1}});
        order.status = status;
        return order;
    };
    for (OrderStatus status :
         {OrderStatus::Cancelled, OrderStatus::OnHold, OrderStatus::Packed, OrderStatus::Shipped})
        results.push_back(check_customer(order_in(status)));

    const std::vector<std::function<void(Recipient&)>> recipient_changes{
        [](Recipient& r) { r.name = ""; },
        [](Recipient& r) { r.name = "12345"; },
        [](Recipient& r) { r.address.country = "ZZ"; },
        [](Recipient& r) { r.address.lines.clear(); },
        [](Recipient& r) { r.address.lines = {"\x01"}; },
        [](Recipient& r) { r.address.city = ""; },
        [](Recipient& r) {
            r.address.country = "US";
            r.address.region = "";
        },
        [](Recipient& r) { r.address.postal_code = ""; },
        [](Recipient& r) { r.address.postal_code = "SW1"; },
        [](Recipient& r) { r.phone = ""; },
        [](Recipient& r) { r.phone = "123"; },
    };
    for (const auto& change : recipient_changes) {
        Recipient recipient = london_recipient();
        change(recipient);
        results.push_back(check_recipient(recipient));
    }
    Order order = order_with({{"TEE-RED-L", 1}, {"PHONE-X", 1}});
    results.push_back(check_waybill(order, "", "1Z5R89390357567127"));
    order.tracking_number = "1Z5R89390357567127";
    results.push_back(check_waybill(order, "", "1Z879E930346834440"));

    const testing::SkuMap skus = catalogue();
    std::vector<ScannedItem> items;
    const ContentsView view{&order, order.lines, &items, &skus};
    auto scan = [&skus](std::string_view sku, std::string serial = {}) {
        const auto found = skus.find(sku);
        return ItemScan{found == skus.end() ? nullptr : &found->second,
                        std::string(sku),
                        std::move(serial),
                        {}};
    };
    results.push_back(check_item(view, scan("NOPE"), false));
    results.push_back(check_item(view, scan("MUG-WHT"), false));
    results.push_back(check_item(view, scan("TEE-RED-M"), false));
    results.push_back(check_item(view, scan("PHONE-X"), false));
    results.push_back(check_item(view, scan("PHONE-X", "SN-1"), true));
    results.push_back(check_lines_complete(view));
    items.push_back(scanned("TEE-RED-L"));
    results.push_back(check_item(view, scan("TEE-RED-L"), false));

    for (WeightStatus status : {WeightStatus::InMotion, WeightStatus::UnderZero,
                                WeightStatus::Overload, WeightStatus::Fault, WeightStatus::AtZero})
        results.push_back(check_weight(500.0, 25.0, WeightReading{"scale", 500.0, status, 0}));
    results.push_back(
        check_weight(500.0, 25.0, WeightReading{"scale", 400.0, WeightStatus::Stable, 0}));
    results.push_back(
        check_weight(500.0, 25.0, WeightReading{"scale", 600.0, WeightStatus::Stable, 0}));

    results.push_back(check_tracking("", "ups", false));
    results.push_back(check_tracking("1Z5R89390357567128", "ups", false));
    results.push_back(check_tracking("1Z5R89390357567127", "acme", false));
    results.push_back(check_tracking("1Z5R89390357567127", "dhl", false));
    results.push_back(check_tracking("1Z5R89390357567127", "ups", true));
    results.push_back(check_label_printed(PrintJobState::Failed, "media-empty-error"));
    results.push_back(check_label_printed(PrintJobState::Queued, ""));
    results.push_back(check_scan_back("SO-1", "1Z5R89390357567127", "SO-2", "1Z5R89390357567127"));
    results.push_back(check_scan_back("SO-1", "1Z5R89390357567127", "SO-1", "1Z879E930346834440"));
    results.push_back(check_scan_back("SO-1", "1Z5R89390357567127", "", ""));
    {
        Recipient moved = london_recipient();
        moved.address.city = "Croydon";
        results.push_back(check_label_recipient("SO-1", london_recipient(), moved));
    }
    return results;
}

TEST(Reasons, CatalogueIsWellFormed) {
    std::set<std::string_view> codes;
    ASSERT_FALSE(all_reasons().empty());
    for (const ReasonInfo& info : all_reasons()) {
        SCOPED_TRACE(std::string(info.code));
        EXPECT_TRUE(codes.insert(info.code).second) << "duplicate code";
        const std::size_t dot = info.code.find('.');
        ASSERT_NE(dot, std::string_view::npos);
        const std::string_view prefix = info.code.substr(0, dot);
        if (prefix == "weight") {
            EXPECT_EQ(info.check, "contents") << "weight is part of the contents check";
        } else {
            EXPECT_EQ(info.check, prefix);
        }
        for (const char c : info.code.substr(dot + 1))
            EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << "snake_case after the dot";
        EXPECT_FALSE(info.summary.empty());
        EXPECT_EQ(find_reason(info.code), &info);
    }
    EXPECT_EQ(find_reason("contents.no_such_reason"), nullptr);
}

TEST(Reasons, EveryCatalogueCodeIsDocumented) {
    const std::string docs = read_docs();
    ASSERT_FALSE(docs.empty()) << "cannot read docs/checks.md";
    for (const ReasonInfo& info : all_reasons())
        EXPECT_NE(docs.find("| `" + std::string(info.code) + "` |"), std::string::npos)
            << info.code << " has no row in docs/checks.md";
}

TEST(Reasons, EveryReturnedCodeIsCataloguedAndEveryCodeIsReturned) {
    std::set<std::string> returned;
    for (const CheckResult& result : failures()) {
        EXPECT_FALSE(result.passed);
        EXPECT_NE(find_reason(result.reason), nullptr) << "uncatalogued: " << result.reason;
        EXPECT_FALSE(result.message.empty()) << result.reason;
        EXPECT_EQ(result.message.find('\n'), std::string::npos) << result.reason;
        EXPECT_FALSE(result.details.empty()) << result.reason << " says nothing of what was seen";
        returned.insert(result.reason);
    }
    for (const ReasonInfo& info : all_reasons())
        EXPECT_TRUE(returned.contains(std::string(info.code))) << "never returned: " << info.code;
}

// Garbage from a broken import or a noisy scanner never crashes a check and
// always yields a catalogued code.
TEST(Reasons, RandomBytesGiveCataloguedReasons) {
    std::mt19937 random(20240611);
    auto garbage = [&random] {
        std::string text(random() % 40, '\0');
        for (char& c : text)
            c = static_cast<char>(random() % 256);
        return text;
    };
    const testing::SkuMap skus = catalogue();
    for (int i = 0; i < 3000; ++i) {
        Order order = order_with({{garbage(), static_cast<int>(random() % 3)}});
        order.recipient = testing::recipient(garbage(), garbage(), {garbage(), garbage()},
                                             garbage(), garbage(), garbage(), garbage());
        if (i % 2 == 0) order.recipient.address.country = "GB";
        std::vector<ScannedItem> items{scanned(garbage(), garbage())};
        const ContentsView view{&order, order.lines, &items, &skus};
        const Sku& any_sku =
            std::next(skus.begin(), static_cast<long>(random() % skus.size()))->second;
        const std::vector<CheckResult> results{
            check_customer(order),
            check_waybill(order, garbage(), garbage()),
            check_item(view, {i % 3 == 0 ? nullptr : &any_sku, garbage(), garbage(), garbage()},
                       i % 5 == 0),
            check_lines_complete(view),
            check_tracking(garbage(), garbage(), false),
            check_scan_back(garbage(), garbage(), garbage(), garbage()),
        };
        for (const CheckResult& result : results) {
            if (result.passed) continue;
            ASSERT_NE(find_reason(result.reason), nullptr) << result.reason;
        }
    }
}

TEST(Reasons, PassingChecksCarryNoReason) {
    const CheckResult result = check_customer(order_with({{"TEE-RED-L", 1}}));
    EXPECT_TRUE(result.passed);
    EXPECT_TRUE(result.reason.empty());
    EXPECT_TRUE(result.message.empty());
    EXPECT_TRUE(result.details.empty());
    // A label printed for the recipient the order still has is current.
    EXPECT_TRUE(check_label_recipient("SO-1", london_recipient(), london_recipient()).passed);
}

}  // namespace
}  // namespace packline::station
