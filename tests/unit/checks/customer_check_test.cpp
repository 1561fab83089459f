// Customer check: order status, recipient completeness and per-country
// formats, and pre-printed waybills.
#include <gtest/gtest.h>

#include <string>

#include "checks_fixtures.h"

namespace packline::station {
namespace {

using testing::london_recipient;
using testing::recipient;

std::string detail(const CheckResult& result, std::string_view key) {
    for (const Detail& entry : result.details)
        if (entry.key == key) return entry.value;
    return "<no " + std::string(key) + ">";
}

// --- Order status ------------------------------------------------------------

struct StatusCase {
    OrderStatus status;
    std::string_view reason;  // empty = passes
    std::string_view message_has;
};

TEST(CheckOrderStatus, OnlyOpenOrdersMayBePacked) {
    const StatusCase cases[] = {
        {OrderStatus::Open, "", ""},
        {OrderStatus::Cancelled, "customer.order_cancelled", "CANCELLED"},
        {OrderStatus::OnHold, "customer.order_on_hold", "ON HOLD"},
        {OrderStatus::Packed, "customer.order_already_packed", "already packed"},
        {OrderStatus::Shipped, "customer.order_already_shipped", "already shipped"},
    };
    for (const StatusCase& c : cases) {
        Order order = testing::order_with({{"TEE-RED-L", 1}});
        order.status = c.status;
        const CheckResult result = check_order_status(order);
        SCOPED_TRACE(std::string(to_string(c.status)));
        EXPECT_EQ(result.passed, c.reason.empty());
        EXPECT_EQ(result.reason, c.reason);
        if (!c.reason.empty()) {
            EXPECT_NE(result.message.find(c.message_has), std::string::npos) << result.message;
            EXPECT_NE(result.message.find("SO-1001"), std::string::npos) << result.message;
            EXPECT_EQ(detail(result, "order_id"), "SO-1001");
            EXPECT_EQ(detail(result, "status"), to_string(c.status));
        }
    }
}

TEST(CheckCustomer, StatusIsCheckedBeforeTheRecipient) {
    Order order = testing::order_with({{"TEE-RED-L", 1}});
    order.status = OrderStatus::Cancelled;
    order.recipient.name.clear();
    EXPECT_EQ(check_customer(order).reason, "customer.order_cancelled");
    order.status = OrderStatus::Open;
    EXPECT_EQ(check_customer(order).reason, "customer.name_missing");
    order.recipient = london_recipient();
    EXPECT_TRUE(check_customer(order).passed);
}

// --- Valid recipients, one or more per country ---------------------------------

struct ValidCase {
    std::string_view label;
    Recipient recipient;
};

TEST(CheckRecipient, RealAddressesInEveryScriptPass) {
    const ValidCase cases[] = {
        {"GB London", london_recipient()},
        {"GB postcode without space, lower case",
         recipient("Jane Doe", "020 7946 0018", {"Buckingham Palace"}, "London", "", "sw1a1aa",
                   "GB")},
        {"GB GIR 0AA",
         recipient("A. Giro", "+44 (0)20 7946 0018", {"Bootle"}, "Bootle", "", "GIR 0AA", "GB")},
        {"GB mobile",
         recipient("Ann Lee", "07700 900123", {"1 High St"}, "Manchester", "", "M1 1AE", "GB")},
        {"US ZIP", recipient("John Smith", "(212) 555-0123", {"350 5th Ave"}, "New York", "NY",
                             "10118", "US")},
        {"US ZIP+4", recipient("John Smith", "+1 310 555 0199", {"1 Rodeo Dr"}, "Beverly Hills",
                               "CA", "90210-1234", "US")},
        {"US with trunk 1", recipient("John Smith", "1-310-555-0199", {"1 Rodeo Dr"},
                                      "Beverly Hills", "CA", "90210", "US")},
        {"CN mobile, Chinese script", recipient("王小明", "138 0013 8000", {"海淀区中关村大街1号"},
                                                "北京", "北京市", "100080", "CN")},
        {"CN +86 mobile", recipient("李华", "+86 139 1234 5678", {"浦东新区世纪大道100号"}, "上海",
                                    "上海市", "200120", "CN")},
        {"CN landline",
         recipient("张伟", "010-12345678", {"东城区1号"}, "北京", "北京市", "100010", "CN")},
        {"CN Shenzhen landline",
         recipient("陈静", "0755-12345678", {"南山区1号"}, "深圳", "广东省", "518000", "CN")},
        {"DE", recipient("Max Mustermann", "+49 30 123456", {"Invalidenstraße 117"}, "Berlin", "",
                         "10115", "DE")},
        {"DE national", recipient("Max Mustermann", "030 1234567", {"Invalidenstraße 117"},
                                  "Berlin", "", "10115", "DE")},
        {"FR", recipient("Élodie Durand", "01 42 68 53 00", {"55 Rue du Faubourg Saint-Honoré"},
                         "Paris", "", "75008", "FR")},
        {"FR +33 mobile", recipient("Élodie Durand", "+33 6 12 34 56 78", {"1 Rue de Rivoli"},
                                    "Paris", "", "75001", "FR")},
        {"FR recipient with a Swiss mobile",
         recipient("Élodie Durand", "+41 79 123 45 67", {"1 Rue de Rivoli"}, "Paris", "", "75001",
                   "FR")},
        {"JP Japanese script", recipient("山田太郎", "03-1234-5678", {"千代田区千代田1-1"},
                                         "千代田区", "東京都", "100-0001", "JP")},
        {"JP postal without hyphen, mobile",
         recipient("佐々木花子", "090-1234-5678", {"中央区銀座1-1"}, "中央区", "東京都", "1040061",
                   "JP")},
        {"JP full-width postal with mark",
         recipient("山田太郎", "+81 90 1234 5678", {"千代田区千代田1-1"}, "千代田区", "東京都",
                   "〒１００－０００１", "JP")},
        {"RU Cyrillic, generic rules",
         recipient("Иван Петров", "+7 495 123-45-67", {"ул. Тверская, 1"}, "Москва", "", "125009",
                   "RU")},
        {"NL generic postal with letters",
         recipient("Sanne de Vries", "+31 20 123 4567", {"Damrak 1"}, "Amsterdam", "", "1012 LG",
                   "NL")},
        {"HK needs no postal code",
         recipient("陳大文", "+852 2123 4567", {"皇后大道中1號"}, "Central", "", "", "HK")},
        {"country code in lower case", recipient("John Smith", "(212) 555-0123", {"350 5th Ave"},
                                                 "New York", "NY", "10118", "us")},
        {"name exactly 100 characters", recipient(std::string(100, 'a'), "020 7946 0018",
                                                  {"1 High St"}, "London", "", "EC1A 1BB", "GB")},
        {"padded fields", recipient("  Jane Doe  ", " 020 7946 0018 ", {"", "  1 High St "},
                                    " London ", "", " EC1A 1BB ", " GB ")},
    };
    for (const ValidCase& c : cases) {
        const CheckResult result = check_recipient(c.recipient);
        EXPECT_TRUE(result.passed) << c.label << ": " << result.reason << " — " << result.message;
    }
}

// --- Invalid recipients ----------------------------------------------------------

struct InvalidCase {
    std::string_view label;
    Recipient recipient;
    std::string_view reason;
};

Recipient london_with(void (*change)(Recipient&)) {
    Recipient result = london_recipient();
    change(result);
    return result;
}

TEST(CheckRecipient, MissingAndMalformedFieldsAreRefused) {
    const std::string too_long_cjk = [] {
        std::string name;
        for (int i = 0; i < 101; ++i)
            name += "王";
        return name;
    }();
    const InvalidCase cases[] = {
        {"no name", london_with([](Recipient& r) { r.name = "   "; }), "customer.name_missing"},
        {"digits only", london_with([](Recipient& r) { r.name = "12345"; }),
         "customer.name_invalid"},
        {"punctuation only", london_with([](Recipient& r) { r.name = "-- ."; }),
         "customer.name_invalid"},
        {"emoji only", london_with([](Recipient& r) { r.name = "😀😀"; }), "customer.name_invalid"},
        {"101 characters", london_with([](Recipient& r) { r.name = std::string(101, 'a'); }),
         "customer.name_invalid"},
        {"bad UTF-8", london_with([](Recipient& r) { r.name = "Jane \xff\xfe"; }),
         "customer.name_invalid"},
        {"overlong UTF-8", london_with([](Recipient& r) { r.name = "Jane \xc0\xaf"; }),
         "customer.name_invalid"},
        {"control character", london_with([](Recipient& r) { r.name = "Jane\nDoe"; }),
         "customer.name_invalid"},
        {"no country", london_with([](Recipient& r) { r.address.country = ""; }),
         "customer.country_invalid"},
        {"unknown country", london_with([](Recipient& r) { r.address.country = "XX"; }),
         "customer.country_invalid"},
        {"alpha-3 country", london_with([](Recipient& r) { r.address.country = "GBR"; }),
         "customer.country_invalid"},
        {"no street", london_with([](Recipient& r) {
             r.address.lines = {" ", ""};
         }),
         "customer.address_missing"},
        {"no lines at all", london_with([](Recipient& r) { r.address.lines.clear(); }),
         "customer.address_missing"},
        {"street with control",
         london_with([](Recipient& r) { r.address.lines = {"10 Down\x07ing St"}; }),
         "customer.address_invalid"},
        {"street too long",
         london_with([](Recipient& r) { r.address.lines = {std::string(201, 'x')}; }),
         "customer.address_invalid"},
        {"city bad UTF-8", london_with([](Recipient& r) { r.address.city = "Lon\xe2\x82"; }),
         "customer.address_invalid"},
        {"no city", london_with([](Recipient& r) { r.address.city = ""; }),
         "customer.city_missing"},
        {"no postcode", london_with([](Recipient& r) { r.address.postal_code = ""; }),
         "customer.postal_code_missing"},
        {"no phone", london_with([](Recipient& r) { r.phone = ""; }), "customer.phone_missing"},
        {"phone letters", london_with([](Recipient& r) { r.phone = "call me"; }),
         "customer.phone_invalid"},
        {"huge phone", london_with([](Recipient& r) { r.phone = std::string(10000, '1'); }),
         "customer.phone_invalid"},
        {"phone with control", london_with([](Recipient& r) { r.phone = "020 7946 0018\x01"; }),
         "customer.phone_invalid"},
        {"US without state",
         recipient("John Smith", "(212) 555-0123", {"350 5th Ave"}, "New York", "", "10118", "US"),
         "customer.region_missing"},
        {"CN without province",
         recipient("王小明", "13800138000", {"中关村大街1号"}, "北京", "", "100080", "CN"),
         "customer.region_missing"},
        {"JP without prefecture",
         recipient("山田太郎", "03-1234-5678", {"千代田1-1"}, "千代田区", "", "100-0001", "JP"),
         "customer.region_missing"},
        {"NL without postal code",
         recipient("Sanne de Vries", "+31 20 123 4567", {"Damrak 1"}, "Amsterdam", "", "", "NL"),
         "customer.postal_code_missing"},
        {"101 CJK characters",
         recipient(too_long_cjk, "13800138000", {"中关村大街1号"}, "北京", "北京市", "100080",
                   "CN"),
         "customer.name_invalid"},
    };
    for (const InvalidCase& c : cases) {
        const CheckResult result = check_recipient(c.recipient);
        EXPECT_FALSE(result.passed) << c.label;
        EXPECT_EQ(result.reason, c.reason) << c.label << ": " << result.message;
        EXPECT_FALSE(result.message.empty()) << c.label;
        EXPECT_EQ(result.message.find('\n'), std::string::npos) << c.label;
    }
}

TEST(CheckRecipient, MessagesNameTheFieldAndTheCountryFormat) {
    Recipient us =
        recipient("John Smith", "(212) 555-0123", {"350 5th Ave"}, "New York", "", "10118", "US");
    EXPECT_EQ(check_recipient(us).message, "State is missing — required for United States");
    EXPECT_EQ(detail(check_recipient(us), "country"), "US");

    us.address.region = "NY";
    us.address.postal_code = "9021";
    const CheckResult zip = check_recipient(us);
    EXPECT_EQ(zip.reason, "customer.postal_code_invalid");
    EXPECT_EQ(zip.message,
              "ZIP code \"9021\" is not valid for United States — like 90210 or 90210-1234");
    EXPECT_EQ(detail(zip, "value"), "9021");
    EXPECT_EQ(detail(zip, "expected"), "90210 or 90210-1234");

    Recipient uk = london_recipient();
    uk.address.country = "UK";
    EXPECT_EQ(check_recipient(uk).message,
              "Country \"UK\" is not a country code (United Kingdom is GB)");

    uk = london_recipient();
    uk.phone = "020 7946 00";
    const CheckResult phone = check_recipient(uk);
    EXPECT_EQ(phone.reason, "customer.phone_invalid");
    EXPECT_EQ(
        phone.message,
        "Phone \"020 7946 00\" is not a valid number for United Kingdom — like 020 7946 0018");

    uk = london_recipient();
    uk.name = "12345";
    EXPECT_EQ(check_recipient(uk).message, "Recipient name \"12345\" is not a name");
    EXPECT_EQ(detail(check_recipient(uk), "problem"), "no_letters");
}

TEST(CheckRecipient, NameLengthCountsCharactersNotBytes) {
    std::string name;
    for (int i = 0; i < 100; ++i)
        name += "王";  // 300 bytes, 100 characters
    Recipient r =
        recipient(name, "13800138000", {"中关村大街1号"}, "北京", "北京市", "100080", "CN");
    EXPECT_TRUE(check_recipient(r).passed);
    r.name += "王";
    EXPECT_EQ(check_recipient(r).reason, "customer.name_invalid");
    EXPECT_EQ(check_recipient(r).message, "Recipient name is too long (101 characters, max 100)");
}

// --- Postal codes and phones per country ----------------------------------------

struct FormatCase {
    std::string_view country;
    std::string_view value;
    bool valid;
};

TEST(AddressRules, PostalCodesPerCountry) {
    const FormatCase cases[] = {
        {"CN", "100080", true},    {"CN", "10008", false},     {"CN", "1000800", false},
        {"CN", "10008A", false},   {"US", "90210", true},      {"US", "90210-1234", true},
        {"US", "9021", false},     {"US", "90210-123", false}, {"US", "902101", false},
        {"US", "ABCDE", false},    {"GB", "SW1A 1AA", true},   {"GB", "sw1a 1aa", true},
        {"GB", "SW1A1AA", true},   {"GB", "GIR 0AA", true},    {"GB", "gir0aa", true},
        {"GB", "EC1A 1BB", true},  {"GB", "W1A 0AX", true},    {"GB", "M1 1AE", true},
        {"GB", "B33 8TH", true},   {"GB", "CR2 6XH", true},    {"GB", "DN55 1PT", true},
        {"GB", "SW1A 1A", false},  {"GB", "1AA SW1", false},   {"GB", "SW1A 1AAA", false},
        {"GB", "SW1A  1AA", true}, {"DE", "10115", true},      {"DE", "1011", false},
        {"DE", "101155", false},   {"FR", "75008", true},      {"FR", "7500", false},
        {"FR", "75008X", false},   {"JP", "100-0001", true},   {"JP", "1000001", true},
        {"JP", "100 0001", true},  {"JP", "〒100-0001", true}, {"JP", "１００－０００１", true},
        {"JP", "100-001", false},  {"JP", "1000-001", false},  {"NL", "1012 LG", true},
        {"NL", "!!", false},       {"NL", "1", false},         {"NL", "12345678901", false},
        {"CA", "K1A 0B1", true},   {"BR", "01310-100", true},  {"CN", "", false},
    };
    for (const FormatCase& c : cases)
        EXPECT_EQ(valid_postal_code(c.country, c.value), c.valid) << c.country << " " << c.value;
}

TEST(AddressRules, PhonesPerCountry) {
    const FormatCase cases[] = {
        {"CN", "13800138000", true},
        {"CN", "+86 138 0013 8000", true},
        {"CN", "0086 13800138000", true},
        {"CN", "010-12345678", true},
        {"CN", "+86 10 1234 5678", true},
        {"CN", "12800138000", false},
        {"CN", "1380013800", false},
        {"CN", "138001380001", false},
        {"CN", "10-12345678", false},
        {"US", "212-555-0123", true},
        {"US", "+1 212 555 0123", true},
        {"US", "(212) 555.0123", true},
        {"US", "112-555-0123", false},
        {"US", "212-155-0123", false},
        {"US", "555-0123", false},
        {"US", "012-555-0123", false},
        {"US", "+1 212 555 01234", false},
        {"GB", "020 7946 0018", true},
        {"GB", "+44 20 7946 0018", true},
        {"GB", "+44 (0)20 7946 0018", true},
        {"GB", "0044 20 7946 0018", true},
        {"GB", "07700 900123", true},
        {"GB", "020 7946 00", false},
        {"GB", "+44 20 7946 0018 99", false},
        {"GB", "20 7946 0018", false},
        {"DE", "+49 30 123456", true},
        {"DE", "030 123456", true},
        {"DE", "0151 12345678", true},
        {"DE", "030 12", false},
        {"DE", "+49 0", false},
        {"FR", "01 42 68 53 00", true},
        {"FR", "+33 1 42 68 53 00", true},
        {"FR", "06.12.34.56.78", true},
        {"FR", "01 42 68 53", false},
        {"FR", "1 42 68 53 00", false},
        {"FR", "01 42 68 53 00 1", false},
        {"JP", "03-1234-5678", true},
        {"JP", "090-1234-5678", true},
        {"JP", "+81 3 1234 5678", true},
        {"JP", "０３－１２３４－５６７８", true},
        {"JP", "03-1234-567", false},
        {"JP", "3-1234-5678", false},
        {"JP", "090-1234-56789", false},
        {"NL", "+31 20 123 4567", true},
        {"NL", "020 123 4567", true},
        {"NL", "12345", false},
        {"NL", "+1234567890123456", false},
        {"FR", "+41 79 123 45 67", true},
        {"GB", "", false},
        {"GB", "+", false},
        {"GB", "ext. 12", false},
    };
    for (const FormatCase& c : cases)
        EXPECT_EQ(valid_phone(c.country, c.value), c.valid) << c.country << " " << c.value;
}

TEST(AddressRules, EveryTableExampleIsValidForItsOwnCountry) {
    ASSERT_FALSE(all_country_rules().empty());
    for (const CountryRules& rules : all_country_rules()) {
        SCOPED_TRACE(std::string(rules.iso2));
        EXPECT_TRUE(is_known_country(rules.iso2));
        EXPECT_EQ(country_rules(rules.iso2), &rules);
        EXPECT_FALSE(rules.name.empty());
        EXPECT_FALSE(rules.postal_example.empty());
        EXPECT_FALSE(rules.phone_example.empty());
        std::string_view examples = rules.postal_example;
        for (std::size_t at; (at = examples.find(" or ")) != std::string_view::npos;
             examples.remove_prefix(at + 4))
            EXPECT_TRUE(valid_postal_code(rules.iso2, examples.substr(0, at)))
                << examples.substr(0, at);
        EXPECT_TRUE(valid_postal_code(rules.iso2, examples)) << examples;
        EXPECT_TRUE(valid_phone(rules.iso2, rules.phone_example)) << rules.phone_example;
        // The international form drops the trunk prefix 0.
        if (rules.phone_example.starts_with("0")) {
            EXPECT_TRUE(valid_phone(rules.iso2, "+" + std::string(rules.calling_code) + " " +
                                                    std::string(rules.phone_example.substr(1))))
                << "international form of " << rules.phone_example;
        }
    }
    EXPECT_EQ(country_rules("DK"), nullptr);
    EXPECT_EQ(&rules_for_country("DK"), &generic_country_rules());
    EXPECT_EQ(country_rules("gb"), country_rules("GB"));
}

TEST(AddressRules, CountryCodes) {
    for (std::string_view code :
         {"GB", "US", "CN", "JP", "DE", "FR", "NL", "HK", "XK", "ZW", "ad", "Us"})
        EXPECT_TRUE(is_known_country(code)) << code;
    for (std::string_view code : {"", "U", "UK", "XX", "GBR", "ZZ", "1A", "É", "EU"})
        EXPECT_FALSE(is_known_country(code)) << code;
    EXPECT_TRUE(country_uses_postal_codes("GB"));
    EXPECT_TRUE(country_uses_postal_codes("NL"));
    EXPECT_FALSE(country_uses_postal_codes("HK"));
    EXPECT_FALSE(country_uses_postal_codes("AE"));
}

TEST(AddressRules, Normalisation) {
    EXPECT_EQ(normalize_phone("+44 (0)20 7946-0018"), "+4402079460018");
    EXPECT_EQ(normalize_phone("０３－１２３４．５６７８"), "0312345678");
    EXPECT_EQ(normalize_postal_code("  sw1a   1aa "), "SW1A 1AA");
    EXPECT_EQ(normalize_postal_code("〒 100－0001"), "100-0001");
    EXPECT_EQ(normalize_postal_code(""), "");
}

TEST(Pattern, SyntaxAndMalformedPatternsFailClosed) {
    EXPECT_TRUE(matches_pattern("#####", "12345"));
    EXPECT_FALSE(matches_pattern("#####", "1234"));
    EXPECT_TRUE(matches_pattern("@# #@@", "M1 1AE"));
    EXPECT_TRUE(matches_pattern("@# #@@", "M1-1AE"));
    EXPECT_TRUE(matches_pattern("@# #@@", "M11AE"));
    EXPECT_TRUE(matches_pattern("[1-9]#{2,3}", "123"));
    EXPECT_TRUE(matches_pattern("[1-9]#{2,3}", "1234"));
    EXPECT_FALSE(matches_pattern("[1-9]#{2,3}", "0123"));
    EXPECT_FALSE(matches_pattern("[1-9]#{2,3}", "12345"));
    EXPECT_TRUE(matches_pattern("+?#{3}", "+123"));
    EXPECT_TRUE(matches_pattern("+?#{3}", "123"));
    EXPECT_TRUE(matches_pattern("a|b|c", "C"));
    EXPECT_TRUE(matches_pattern("\\##", "#1"));
    EXPECT_TRUE(matches_pattern("[A-C -]{3}", "A -"));
    for (std::string_view broken :
         {"", "[", "[]", "#{", "#{3", "#{3,1}", "?", "#{99}", "\\", "{2}", "[9-1]"})
        EXPECT_FALSE(matches_pattern(broken, "1")) << broken;
    EXPECT_FALSE(matches_pattern("#{1,64}", std::string(65, '1')));
    EXPECT_TRUE(matches_pattern("#{1,64}", std::string(64, '1')));
    // Backtracking stays bounded on adversarial input.
    EXPECT_FALSE(matches_pattern("#{0,20}#{0,20}#{0,20}#{0,20}x", std::string(64, '1')));
}

// --- Waybill ------------------------------------------------------------------------

TEST(CheckWaybill, PrePrintedWaybillMustCarryTheAssignedNumber) {
    Order order = testing::order_with({{"TEE-RED-L", 1}});
    order.tracking_number = "1Z5R89390357567127";

    EXPECT_TRUE(check_waybill(order, "", "1Z5R89390357567127").passed);
    EXPECT_TRUE(check_waybill(order, "", "1z 5r8 939 0357 567 127").passed);
    EXPECT_TRUE(check_waybill(order, "1Z879E930346834440", "1Z879E930346834440").passed)
        << "the parcel's own number wins over the order's";

    const CheckResult wrong = check_waybill(order, "", "1Z879E930346834440");
    EXPECT_EQ(wrong.reason, "customer.waybill_mismatch");
    EXPECT_EQ(wrong.message,
              "Wrong waybill: it says 1Z879E930346834440, this parcel needs 1Z5R89390357567127");
    EXPECT_EQ(detail(wrong, "expected"), "1Z5R89390357567127");
    EXPECT_EQ(detail(wrong, "seen"), "1Z879E930346834440");

    EXPECT_EQ(check_waybill(order, "1Z879E930346834440", "1Z5R89390357567127").reason,
              "customer.waybill_mismatch");
    EXPECT_EQ(check_waybill(order, "", "1Z5R8939035756712").reason, "customer.waybill_mismatch")
        << "one character short";
    const CheckResult empty = check_waybill(order, "", "");
    EXPECT_EQ(empty.reason, "customer.waybill_mismatch");
    EXPECT_EQ(detail(empty, "seen"), "");
    EXPECT_EQ(check_waybill(order, "", std::string(5000, '\xff')).reason,
              "customer.waybill_mismatch");

    order.tracking_number.clear();
    const CheckResult missing = check_waybill(order, "  ", "1Z5R89390357567127");
    EXPECT_EQ(missing.reason, "customer.waybill_missing");
    EXPECT_EQ(detail(missing, "order_id"), "SO-1001");
}

}  // namespace
}  // namespace packline::station
