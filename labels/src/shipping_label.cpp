#include "packline/labels/shipping_label.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>

#include "packline/labels/label_code.h"
#include "packline/text.h"
#include "utf8.h"

namespace packline::labels {
namespace {

constexpr int kMargin = 30;
constexpr int kContentWidth = kLabelWidthDots - 2 * kMargin;
// The carrier block shares its rows with the QR code on the right.
constexpr int kCarrierColumnWidth = 470;
constexpr int kQrX = 515;
constexpr int kQrY = 610;

struct Font {
    int height;
    int width;
};

constexpr Font kSmall{22, 22};
constexpr Font kCaption{24, 24};
constexpr Font kDetail{32, 32};
constexpr Font kAddress{40, 40};
constexpr Font kCarrier{50, 50};
constexpr Font kName{56, 56};

// Font 0 (CG Triumvirate Bold Condensed) is proportional and the printer does
// the measuring, so this is a safe estimate rather than a metric: Latin glyphs
// stay under ~0.6 em, CJK and fullwidth glyphs take a full em.
int advance(char32_t code_point, Font font) {
    return utf8::is_wide(code_point) ? font.width : (font.width * 62 + 99) / 100;
}

// One printable code point of free text, as UTF-8 bytes.
struct Glyph {
    std::string bytes;
    bool space = false;
    int width = 0;
};

// Free text is never refused: bytes that are not UTF-8 become '?', control
// characters (a stray newline in an address) become spaces.
std::vector<Glyph> glyphs_of(std::string_view text, Font font) {
    std::vector<Glyph> glyphs;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        char32_t code_point = 0;
        Glyph glyph;
        if (!packline::text::next_code_point(text, pos, code_point)) {
            ++pos;  // one '?' per bad byte
            glyph.bytes = "?";
            code_point = U'?';
        } else if (utf8::is_control(code_point)) {
            glyph.bytes = " ";
            code_point = U' ';
        } else {
            glyph.bytes = std::string(text.substr(start, pos - start));
        }
        glyph.space = code_point == U' ';
        glyph.width = advance(code_point, font);
        glyphs.push_back(std::move(glyph));
    }
    return glyphs;
}

// Greedy word wrap into at most `max_lines` lines of `max_width` dots; text
// that does not fit is cut. Words longer than a line (and CJK text, which has
// no spaces) break between characters.
std::vector<std::string> wrap(std::string_view text, Font font, int max_width, int max_lines) {
    std::vector<std::string> lines;
    const std::vector<Glyph> glyphs = glyphs_of(text, font);
    std::size_t index = 0;
    while (index < glyphs.size() && static_cast<int>(lines.size()) < max_lines) {
        while (index < glyphs.size() && glyphs[index].space)
            ++index;  // no leading blanks
        if (index == glyphs.size()) break;
        const std::size_t line_start = index;
        std::size_t break_at = glyphs.size();  // after the last space that fits
        int width = 0;
        while (index < glyphs.size() && width + glyphs[index].width <= max_width) {
            width += glyphs[index].width;
            if (glyphs[index].space) break_at = index;
            ++index;
        }
        std::size_t line_end = index;
        if (index < glyphs.size() && !glyphs[index].space && break_at != glyphs.size() &&
            static_cast<int>(lines.size()) + 1 < max_lines) {
            line_end = break_at;  // wrap at the last space rather than mid-word
            index = break_at + 1;
        }
        while (line_end > line_start && glyphs[line_end - 1].space)
            --line_end;
        std::string line;
        for (std::size_t i = line_start; i < line_end; ++i)
            line += glyphs[i].bytes;
        if (!line.empty()) lines.push_back(std::move(line));
        if (index == line_start) ++index;  // a glyph wider than the line: skip it
    }
    return lines;
}

// Field data goes out with ^FH, whose indicator is '_': the ZPL prefixes '^'
// and '~' inside ^FD would end the field or run a command (ZPL II guide, ^FH),
// and '_' itself must be escaped so it is not read as an escape.
std::string escape_field(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '^':
                out += "_5E";
                break;
            case '~':
                out += "_7E";
                break;
            case '_':
                out += "_5F";
                break;
            default:
                out += c;
        }
    }
    return out;
}

class ZplWriter {
  public:
    void command(std::string_view text) {
        out_ += text;
        out_ += '\n';
    }
    void text(int x, int y, Font font, std::string_view line) {
        out_ += "^FO" + std::to_string(x) + ',' + std::to_string(y) + "^A0N," +
                std::to_string(font.height) + ',' + std::to_string(font.width) + "^FH^FD" +
                escape_field(line) + "^FS\n";
    }
    // Clipped to one line.
    void line(int x, int y, Font font, int max_width, std::string_view text_line) {
        for (const auto& clipped : wrap(text_line, font, max_width, 1))
            text(x, y, font, clipped);
    }
    void rule(int y) {
        command("^FO" + std::to_string(kMargin) + ',' + std::to_string(y) + "^GB" +
                std::to_string(kContentWidth) + ",3,3^FS");
    }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

bool is_barcode_safe(std::string_view tracking) {
    for (const char c : tracking) {
        // Printable ASCII only. '^' and '~' are ZPL prefixes; '>' starts a
        // Code 128 invocation code in ^BC data (ZPL II guide, ^BC); '|'
        // separates fields in the label code.
        if (c < '!' || c > '}' || c == '^' || c == '>' || c == '|') return false;
    }
    return true;
}

bool all_digits(std::string_view text) {
    for (const char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string format_kg(double grams) {
    char buffer[32];
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, grams / 1000.0, std::chars_format::fixed, 2);
    if (error != std::errc()) return "?";
    return std::string(buffer, end) + " kg";
}

void write_barcode(ZplWriter& zpl, std::string_view tracking) {
    // Digits in pairs use subset C, which halves the symbol (">;" = start C);
    // everything else uses the default subset B.
    const bool subset_c = all_digits(tracking) && tracking.size() % 2 == 0;
    const int symbols = static_cast<int>(subset_c ? tracking.size() / 2 : tracking.size());
    const int modules = 11 * (symbols + 2) + 13;  // start + data + check, then the stop
    constexpr int kQuietModules = 20;             // 10 on each side
    int module_width = 3;
    while (module_width > 1 && module_width * (modules + kQuietModules) > kLabelWidthDots)
        --module_width;
    const int x = (kLabelWidthDots - module_width * modules) / 2;
    zpl.command("^FO" + std::to_string(x) + ",915^BY" + std::to_string(module_width) +
                "^BCN,200,Y,N,N^FD" + (subset_c ? ">;" : "") + std::string(tracking) + "^FS");
}

}  // namespace

Result<std::string> render_zpl(const ShippingLabel& label) {
    if (label.order_id.empty())
        return Error("label.missing_field", "label: the order id is missing");
    if (label.tracking_number.empty())
        return Error("label.missing_field", "label: the tracking number is missing");
    if (!is_label_code_field(label.order_id) ||
        label.order_id.find_first_of("^~") != std::string::npos)
        return Error("label.bad_field",
                     "label: order id \"" + label.order_id + "\" cannot be printed in a barcode");
    if (label.tracking_number.size() > kLabelCodeFieldMaxBytes ||
        !is_barcode_safe(label.tracking_number))
        return Error("label.bad_field", "label: tracking number \"" + label.tracking_number +
                                            "\" cannot be printed in a barcode");
    if (label.parcel_sequence < 1 || label.parcel_count < 0 ||
        (label.parcel_count > 0 && label.parcel_sequence > label.parcel_count) ||
        label.parcel_count > 999)
        return Error("label.bad_field", "label: parcel " + std::to_string(label.parcel_sequence) +
                                            " of " + std::to_string(label.parcel_count) +
                                            " is not a parcel number");
    if (!std::isfinite(label.weight_g) || label.weight_g < 0 || label.weight_g > 1e7)
        return Error("label.bad_field", "label: weight is out of range");

    ZplWriter zpl;
    zpl.command("^XA");
    zpl.command("^CI28");  // field data is UTF-8, so CJK and accented names pass through
    zpl.command("^PW" + std::to_string(kLabelWidthDots));
    zpl.command("^LL" + std::to_string(kLabelLengthDots));
    zpl.command("^LH0,0");

    // Sender.
    if (!label.sender_name.empty())
        zpl.line(kMargin, 30, kCaption, kContentWidth, "FROM: " + label.sender_name);
    int y = 62;
    for (const auto& line : wrap(label.sender_address, kSmall, kContentWidth, 2)) {
        zpl.text(kMargin, y, kSmall, line);
        y += 26;
    }
    zpl.rule(118);

    // Recipient: the biggest block, it is what the courier reads.
    zpl.text(kMargin, 134, kCaption, "SHIP TO:");
    y = 166;
    for (const auto& line : wrap(label.recipient_name, kName, kContentWidth, 2)) {
        zpl.text(kMargin, y, kName, line);
        y += 60;
    }
    std::string locality = label.city;
    for (const std::string* part : {&label.region, &label.postal_code}) {
        if (part->empty()) continue;
        if (!locality.empty()) locality += ' ';
        locality += *part;
    }
    const std::vector<std::string> locality_lines = wrap(locality, kAddress, kContentWidth, 2);
    const std::vector<std::string> country_lines = wrap(label.country, kAddress, kContentWidth, 1);
    const std::vector<std::string> phone_lines =
        label.phone.empty() ? std::vector<std::string>{}
                            : wrap("TEL " + label.phone, kDetail, kContentWidth, 1);
    // Address lines get whatever room the town, country and phone leave.
    constexpr int kAddressStep = 46;
    constexpr int kRecipientBottom = 590;
    const int reserved =
        static_cast<int>(locality_lines.size() + country_lines.size()) * kAddressStep +
        static_cast<int>(phone_lines.size()) * 38;
    int address_budget = (kRecipientBottom - y - reserved) / kAddressStep;
    for (const auto& address_line : label.address_lines) {
        if (address_budget <= 0) break;
        for (const auto& line : wrap(address_line, kAddress, kContentWidth, address_budget)) {
            zpl.text(kMargin, y, kAddress, line);
            y += kAddressStep;
            --address_budget;
        }
    }
    for (const auto& line : locality_lines) {
        zpl.text(kMargin, y, kAddress, line);
        y += kAddressStep;
    }
    for (const auto& line : country_lines) {
        zpl.text(kMargin, y, kAddress, line);
        y += kAddressStep;
    }
    for (const auto& line : phone_lines)
        zpl.text(kMargin, y, kDetail, line);
    zpl.rule(595);

    // Carrier, order and parcel on the left; the Packline code on the right.
    zpl.line(kMargin, 612, kCarrier, kCarrierColumnWidth, label.carrier_name);
    zpl.line(kMargin, 668, kDetail, kCarrierColumnWidth, label.service);
    zpl.line(kMargin, 716, kDetail, kCarrierColumnWidth, "ORDER " + label.order_id);
    std::string parcel = "PARCEL " + std::to_string(label.parcel_sequence);
    if (label.parcel_count > 0) parcel += "/" + std::to_string(label.parcel_count);
    zpl.text(kMargin, 758, kDetail, parcel);
    if (label.weight_g > 0) zpl.text(kMargin, 800, kDetail, "WEIGHT " + format_kg(label.weight_g));
    if (!label.station.empty())
        zpl.line(kMargin, 842, kCaption, kCarrierColumnWidth, "STATION " + label.station);
    // QR, ECC Q, automatic input mode ("QA,"), magnification 6: a payload of at
    // most 85 bytes fits version 7 (45 modules = 270 dots).
    zpl.command("^FO" + std::to_string(kQrX) + ',' + std::to_string(kQrY) + "^BQN,2,6^FDQA," +
                label_code_payload(label.order_id, label.tracking_number) + "^FS");
    zpl.rule(892);

    write_barcode(zpl, label.tracking_number);
    zpl.command("^XZ");
    return zpl.take();
}

}  // namespace packline::labels
