#include "packline/station/demo_catalogue.h"

#include <algorithm>
#include <random>

#include "packline/station/barcode.h"
#include "packline/station/gs1.h"
#include "packline/station/tracking.h"

namespace packline::station::demo {
namespace {

struct Style {
    const char* code;
    const char* name;
    std::vector<const char*> sizes;
    std::vector<const char*> colours;
    double weight_g;
    bool serial;
};

const std::vector<Style>& styles() {
    static const std::vector<Style> kStyles{
        {"TEE", "Tee", {"S", "M", "L", "XL"}, {"Red", "Blue", "Black"}, 180, false},
        {"HOOD", "Hoodie", {"M", "L"}, {"Grey", "Navy"}, 520, false},
        {"CAP", "Cap", {"One"}, {"Red", "Black"}, 90, false},
        {"SOCK", "Socks", {"39-42", "43-46"}, {"White", "Black"}, 60, false},
        {"MUG", "Mug", {"One"}, {"White"}, 340, false},
        {"BUDS", "Earbuds", {"One"}, {"Black", "White"}, 120, true},
    };
    return kStyles;
}

struct Recipe {
    const char* name;
    const char* phone;
    const char* line;
    const char* city;
    const char* region;
    const char* postal;
    const char* country;
    const char* carrier;
};

const std::vector<Recipe>& recipients() {
    static const std::vector<Recipe> kRecipients{
        {"张伟", "+86 138 1234 5678", "朝阳区建国路88号", "北京", "北京市", "100020", "CN", "sf"},
        {"Jane Doe", "+1 415-555-0132", "1 Market St", "San Francisco", "CA", "94105", "US", "ups"},
        {"Oliver Smith", "+44 20 7946 0958", "10 Downing Street", "London", "", "SW1A 2AA", "GB",
         "upu"},
        {"Lena Müller", "+49 30 12345678", "Unter den Linden 5", "Berlin", "", "10117", "DE",
         "dhl"},
        {"Camille Martin", "+33 1 42 68 53 00", "55 Rue du Faubourg Saint-Honoré", "Paris", "",
         "75008", "FR", "fedex"},
        {"佐藤花子", "+81 3-1234-5678", "千代田1-1", "千代田区", "東京都", "100-0001", "JP",
         "usps"},
    };
    return kRecipients;
}

std::string digits(std::mt19937_64& random, int count) {
    std::string text;
    for (int i = 0; i < count; ++i)
        text += static_cast<char>('0' + random() % 10);
    return text;
}

std::string tracking_for(const std::string& carrier, std::mt19937_64& random) {
    if (carrier == "ups") return with_check_digit("ups", "1Z" + digits(random, 15), "");
    if (carrier == "dhl") return with_check_digit("dhl", digits(random, 9), "");
    if (carrier == "usps") return with_check_digit("usps", "9400" + digits(random, 17), "");
    if (carrier == "fedex") return with_check_digit("fedex", digits(random, 11), "");
    if (carrier == "upu") return with_check_digit("upu", "RR" + digits(random, 8), "GB");
    if (carrier == "sf") return "SF" + digits(random, 13);
    return {};
}

// One digit changed, not the check digit: the kind of typo a check digit exists for.
std::string one_digit_off(const std::string& number, const std::string& carrier) {
    auto expected = carrier_from_code(carrier);
    for (std::size_t i = number.size(); i-- > 0;) {
        if (number[i] < '0' || number[i] > '9') continue;
        std::string changed = number;
        changed[i] = number[i] == '9' ? '0' : static_cast<char>(number[i] + 1);
        if (!check_tracking_number(changed, expected).valid) return changed;
    }
    return number + "X";
}

}  // namespace

std::string with_check_digit(const std::string& carrier, const std::string& before,
                             const std::string& after) {
    auto expected = carrier_from_code(carrier);
    for (char digit = '0'; digit <= '9'; ++digit) {
        std::string candidate = before + digit + after;
        if (check_tracking_number(candidate, expected).valid) return candidate;
    }
    return {};
}

DemoData make_demo_data(int orders, std::uint64_t seed, double mistake_share) {
    std::mt19937_64 random(seed);
    DemoData data;

    // Catalogue: every style in every size and colour, with a GTIN-13.
    std::map<std::string, std::vector<std::string>> by_style;
    int item = 0;
    for (const Style& style : styles()) {
        for (const char* size : style.sizes) {
            for (const char* colour : style.colours) {
                Sku sku;
                sku.sku = std::string(style.code) + "-" + colour + "-" + size;
                sku.name = std::string(colour) + " " + style.name +
                           (std::string(size) == "One" ? "" : " " + std::string(size));
                sku.style = style.code;
                sku.size = size;
                sku.colour = colour;
                sku.unit_weight_g = style.weight_g;
                sku.serial_required = style.serial;
                // Company prefix 0-871234: a UPC-A-compatible EAN-13, so packers'
                // scanners may send either form.
                std::string body = "0871234" + std::to_string(10000 + ++item).substr(0, 5);
                auto check = gs1_compute_check_digit(body);
                sku.barcodes.push_back(normalize_barcode(body + check.value_or('0')));
                by_style[style.code].push_back(sku.sku);
                data.batch.skus.push_back(std::move(sku));
            }
        }
    }
    data.batch.packaging.push_back({"BOX-S", "Small box", 120});
    data.batch.packaging.push_back({"BOX-M", "Medium box", 260});
    data.batch.packaging.push_back({"BAG", "Mailer bag", 35});

    // Tracking-number pools for carriers whose numbers the station assigns.
    for (const char* carrier : {"fedex", "upu", "sf", "ups", "dhl", "usps"})
        for (int i = 0; i < orders * 2 + 10; ++i)
            data.pool[carrier].push_back(tracking_for(carrier, random));

    // Mistakes: every kind at least once when the shift is long enough.
    const std::vector<Mistake> kinds{
        Mistake::WrongVariant,    Mistake::MissingItem,     Mistake::ExtraItem,
        Mistake::RepeatedSerial,  Mistake::WeightOff,       Mistake::Cancelled,
        Mistake::InvalidTracking, Mistake::LabelOtherOrder, Mistake::UnstableScale,
        Mistake::OnHold,          Mistake::BadPhone};
    std::vector<Mistake> plan(static_cast<std::size_t>(std::max(orders, 0)), Mistake::None);
    const auto planted = static_cast<std::size_t>(
        std::clamp(static_cast<int>(orders * mistake_share + 0.5), std::min(orders, 1), orders));
    // Benches of one demo site run seeds 1, 2, 3...: each starts where the
    // one before stopped, so a site plants every kind (the supervisor's
    // override of a bad phone number included) even when one bench's share
    // is shorter than the list.
    const std::size_t first = static_cast<std::size_t>((seed - 1) % kinds.size()) * planted;
    for (std::size_t i = 0; i < planted; ++i)
        plan[i] = kinds[(first + i) % kinds.size()];
    for (std::size_t i = planted; i < plan.size(); i += 6)
        plan[i] = Mistake::Split;
    // Keep the first order good so a label of another order exists to misuse.
    std::shuffle(plan.begin() + (plan.size() > 1 ? 1 : 0), plan.end(), random);
    if (!plan.empty() && plan[0] != Mistake::None && plan[0] != Mistake::Split) {
        auto good = std::find(plan.begin() + 1, plan.end(), Mistake::None);
        if (good != plan.end()) std::iter_swap(plan.begin(), good);
    }

    const std::vector<const char*> multi_variant{"TEE", "HOOD", "CAP", "SOCK"};
    const std::int64_t base_ms = 1795000000000;  // a fixed day in 2026
    for (int index = 0; index < orders; ++index) {
        const Mistake mistake = plan[static_cast<std::size_t>(index)];
        const Recipe& recipe = recipients()[random() % recipients().size()];
        Order order;
        order.id = "SO-" + std::to_string(10001 + index);
        order.site = "site-1";
        order.created_at_ms = base_ms + index * 60000;
        order.ship_by_ms = order.created_at_ms + 86400000;
        order.recipient = {
            recipe.name,
            recipe.phone,
            {{recipe.line}, recipe.city, recipe.region, recipe.postal, recipe.country}};
        order.carrier = recipe.carrier;
        order.service = "standard";
        order.packaging = random() % 3 == 0 ? "BAG" : "BOX-S";

        // Lines: 1 to 3 distinct SKUs, quantities 1-2.
        int line_count = 1 + static_cast<int>(random() % 3);
        if (mistake == Mistake::Split) line_count = std::max(line_count, 2);
        std::vector<std::string> chosen;
        if (mistake == Mistake::WrongVariant) {
            // A style with many variants, so a wrong one is always at hand.
            const auto& tees = by_style["TEE"];
            chosen.push_back(tees[random() % tees.size()]);
        }
        while (static_cast<int>(chosen.size()) < line_count) {
            const char* style = multi_variant[random() % multi_variant.size()];
            const auto& variants = by_style[style];
            const std::string& sku = variants[random() % variants.size()];
            if (std::find(chosen.begin(), chosen.end(), sku) == chosen.end()) chosen.push_back(sku);
        }
        for (const std::string& sku : chosen)
            order.lines.push_back({sku, 1 + static_cast<int>(random() % 2)});
        if (mistake == Mistake::MissingItem && order.lines.size() == 1 &&
            order.lines[0].quantity == 1)
            order.lines[0].quantity = 2;
        if (mistake == Mistake::RepeatedSerial)
            order.lines.push_back({"BUDS-Black-One", 2});
        else if (random() % 8 == 0)
            order.lines.push_back({"BUDS-White-One", 1});

        if (order.carrier == "ups" || order.carrier == "dhl" || order.carrier == "usps")
            order.tracking_number = tracking_for(order.carrier, random);
        if (mistake == Mistake::InvalidTracking) {
            if (order.tracking_number.empty()) {
                order.carrier = "ups";
                order.tracking_number = tracking_for("ups", random);
            }
            order.tracking_number = one_digit_off(order.tracking_number, order.carrier);
        }
        if (mistake == Mistake::Cancelled) order.status = OrderStatus::Cancelled;
        if (mistake == Mistake::OnHold) order.status = OrderStatus::OnHold;
        if (mistake == Mistake::BadPhone) order.recipient.phone = "12";
        data.batch.orders.push_back(order);
        data.plan.push_back({std::move(order), mistake});
    }
    return data;
}

}  // namespace packline::station::demo
