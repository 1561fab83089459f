#include "packline/labels/zpl_inspect.h"

#include <charconv>
#include <optional>
#include <utility>

#include "packline/labels/label_errors.h"

namespace packline::labels {
namespace {

Error bad_zpl(std::string message) {
    return Error(errors::kLabelBadZpl, "zpl: " + std::move(message));
}

bool is_prefix(char c) {
    return c == '^' || c == '~';
}

// "The ZPL II format ignores carriage returns and line feeds" (ZPL II guide),
// anywhere in the stream, field data included.
bool is_line_break(char c) {
    return c == '\r' || c == '\n';
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || is_line_break(c);
}

char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string without_line_breaks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text)
        if (!is_line_break(c)) out += c;
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    return text;
}

// Parameter `index` (comma separated) as an integer; `fallback` when absent.
Result<int> int_parameter(std::string_view parameters, std::size_t index, int fallback,
                          std::string_view command) {
    for (std::size_t i = 0; i < index; ++i) {
        const std::size_t comma = parameters.find(',');
        if (comma == std::string_view::npos) return fallback;
        parameters.remove_prefix(comma + 1);
    }
    const std::string_view token = trim(parameters.substr(0, parameters.find(',')));
    if (token.empty()) return fallback;
    int value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (error != std::errc() || end != token.data() + token.size())
        return bad_zpl("^" + std::string(command) + " takes numbers, got \"" + std::string(token) +
                       "\"");
    return value;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

Result<std::string> decode_hex(std::string_view data, char indicator) {
    std::string out;
    out.reserve(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] != indicator) {
            out += data[i];
            continue;
        }
        if (i + 2 >= data.size()) return bad_zpl("^FH escape cut short");
        const int high = hex_value(data[i + 1]);
        const int low = hex_value(data[i + 2]);
        if (high < 0 || low < 0) return bad_zpl("^FH escape is not two hex digits");
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

// ^BC field data with its invocation codes resolved to what a scanner reads
// (ZPL II guide, ^BC, "Code 128 Invocation Characters").
ZplBarcode decode_code128(std::string_view data) {
    ZplBarcode barcode{"code128", {}, 0, 0};
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] != '>' || i + 1 == data.size()) {
            barcode.data += data[i];
            continue;
        }
        const char code = data[i + 1];
        switch (code) {
            case '<':
                barcode.data += '^';
                break;
            case '0':
                barcode.data += '>';
                break;
            case '=':
                barcode.data += '~';
                break;
            case '8':  // FNC1: leading means GS1-128, later ones are sent as GS
                if (barcode.data.empty())
                    barcode.type = "gs1-128";
                else
                    barcode.data += '\x1d';
                break;
            case '1':
            case '2':
            case '3':
            case '4':  // USQ, FNC3, FNC2, shift: nothing to read
            case '5':
            case '6':
            case '7':  // code set switches
            case '9':
            case ':':
            case ';':  // start codes
                break;
            default:  // not an invocation code: printed as written
                barcode.data += '>';
                barcode.data += code;
        }
        ++i;
    }
    return barcode;
}

// ^BQ field data is "<error correction><input mode>,<data>" (H/Q/M/L, A/M).
// In manual mode a character-mode letter follows (N, A, or B + 4-digit count).
Result<std::string> strip_qr_prefix(std::string_view data) {
    const auto valid_level = [](char c) { return c == 'H' || c == 'Q' || c == 'M' || c == 'L'; };
    if (data.size() < 3 || !valid_level(upper(data[0])) || data[2] != ',' ||
        (upper(data[1]) != 'A' && upper(data[1]) != 'M'))
        return bad_zpl("^BQ data must start with error correction and input mode, like \"QA,\"");
    const bool manual = upper(data[1]) == 'M';
    data.remove_prefix(3);
    if (manual && !data.empty()) {
        const char mode = upper(data[0]);
        if (mode == 'B' && data.size() >= 5)
            data.remove_prefix(5);
        else if (mode == 'N' || mode == 'A')
            data.remove_prefix(1);
    }
    return std::string(data);
}

const char* barcode_type(std::string_view command) {
    struct Entry {
        const char* command;
        const char* type;
    };
    static constexpr Entry kBarcodes[] = {
        {"BC", "code128"},    {"BQ", "qr"},
        {"BX", "datamatrix"}, {"B3", "code39"},
        {"B7", "pdf417"},     {"BE", "ean13"},
        {"B8", "ean8"},       {"BU", "upca"},
        {"B9", "upce"},       {"B2", "interleaved2of5"},
        {"BA", "code93"},     {"BK", "codabar"},
        {"BO", "aztec"},      {"B0", "aztec"},
        {"BD", "maxicode"},   {"BR", "databar"},
    };
    for (const auto& entry : kBarcodes)
        if (command == entry.command) return entry.type;
    return nullptr;
}

class Inspector {
  public:
    explicit Inspector(std::string_view zpl) : zpl_(zpl) {}

    Result<ZplDocument> run() {
        while (true) {
            while (pos_ < zpl_.size() && is_blank(zpl_[pos_]))
                ++pos_;
            if (pos_ == zpl_.size()) break;
            if (!is_prefix(zpl_[pos_])) {
                // Parameters run up to the next prefix, so only text outside a
                // format (or before the first command) lands here.
                return bad_zpl("text outside a format at byte " + std::to_string(pos_));
            }
            const char prefix = zpl_[pos_];
            std::string name;
            std::size_t cursor = pos_ + 1;
            while (name.size() < 2 && cursor < zpl_.size()) {
                if (!is_line_break(zpl_[cursor])) name += upper(zpl_[cursor]);
                ++cursor;
            }
            if (name.size() < 2) return bad_zpl("command cut short at the end");
            pos_ = cursor;
            Status status = prefix == '^' ? caret_command(name) : tilde_command();
            if (!status) return status.error();
        }
        if (in_format_) return bad_zpl("format not terminated (no ^XZ)");
        if (formats_ == 0) return bad_zpl("no ^XA ... ^XZ format");
        return std::move(document_);
    }

  private:
    std::string_view parameters() {
        const std::size_t start = pos_;
        while (pos_ < zpl_.size() && !is_prefix(zpl_[pos_]))
            ++pos_;
        return zpl_.substr(start, pos_ - start);
    }

    // Tilde commands (~HS, ~JA, ...) act on the printer at once, inside or
    // outside a format; none of them draws anything.
    Status tilde_command() {
        parameters();
        return {};
    }

    Status caret_command(const std::string& name) {
        if (name == "XA") {
            if (!trim(parameters()).empty()) return bad_zpl("text after ^XA");
            if (in_format_) return bad_zpl("^XA inside a format");
            in_format_ = true;
            home_x_ = home_y_ = 0;
            reset_field();
            return {};
        }
        if (!in_format_) return bad_zpl("^" + name + " outside ^XA ... ^XZ");
        if (name == "XZ") {
            if (!trim(parameters()).empty()) return bad_zpl("text after ^XZ");
            in_format_ = false;
            ++formats_;
            return {};
        }
        if (name == "FD") return field_data();
        const std::string params = without_line_breaks(parameters());
        if (name == "FO" || name == "FT") {
            auto x = int_parameter(params, 0, 0, name);
            if (!x) return x.error();
            auto y = int_parameter(params, 1, 0, name);
            if (!y) return y.error();
            field_x_ = home_x_ + *x;
            field_y_ = home_y_ + *y;
            document_.origins.push_back(ZplPoint{field_x_, field_y_});
        } else if (name == "LH") {
            auto x = int_parameter(params, 0, 0, name);
            if (!x) return x.error();
            auto y = int_parameter(params, 1, 0, name);
            if (!y) return y.error();
            home_x_ = *x;
            home_y_ = *y;
        } else if (name == "PW" || name == "LL") {
            auto value = int_parameter(params, 0, 0, name);
            if (!value) return value.error();
            (name == "PW" ? document_.width : document_.length) = *value;
        } else if (name == "FH") {
            hex_indicator_ = params.empty() ? '_' : params.front();
        } else if (name == "FS") {
            reset_field();
        } else if (const char* type = barcode_type(name)) {
            barcode_type_ = type;
        }
        // Everything else (fonts, boxes, ^FX comments, media settings) draws
        // nothing we read, and its parameters are already skipped.
        return {};
    }

    Status field_data() {
        const std::string_view raw = parameters();
        if (pos_ + 3 > zpl_.size() || zpl_[pos_] != '^' || upper(zpl_[pos_ + 1]) != 'F' ||
            upper(zpl_[pos_ + 2]) != 'S')
            return bad_zpl("^FD without ^FS");
        pos_ += 3;
        std::string data = without_line_breaks(raw);
        if (hex_indicator_) {
            auto decoded = decode_hex(data, *hex_indicator_);
            if (!decoded) return decoded.error();
            data = std::move(*decoded);
        }
        if (barcode_type_.empty()) {
            document_.texts.push_back(std::move(data));
        } else {
            ZplBarcode barcode{barcode_type_, std::move(data), field_x_, field_y_};
            if (barcode_type_ == "code128") {
                barcode = decode_code128(barcode.data);
                barcode.x = field_x_;
                barcode.y = field_y_;
            } else if (barcode_type_ == "qr") {
                auto stripped = strip_qr_prefix(barcode.data);
                if (!stripped) return stripped.error();
                barcode.data = std::move(*stripped);
            }
            document_.barcodes.push_back(std::move(barcode));
        }
        reset_field();
        return {};
    }

    void reset_field() {
        barcode_type_.clear();
        hex_indicator_.reset();
    }

    std::string_view zpl_;
    std::size_t pos_ = 0;
    ZplDocument document_;
    bool in_format_ = false;
    int formats_ = 0;
    int home_x_ = 0, home_y_ = 0;
    int field_x_ = 0, field_y_ = 0;
    std::string barcode_type_;
    std::optional<char> hex_indicator_;
};

}  // namespace

Result<ZplDocument> inspect_zpl(std::string_view zpl) {
    return Inspector(zpl).run();
}

Status validate_label_zpl(std::string_view zpl, int width_dots, int length_dots) {
    auto document = inspect_zpl(zpl);
    if (!document) return document.error();
    if (document->width > width_dots || document->length > length_dots)
        return Error(errors::kLabelOutOfBounds,
                     "zpl: the format declares " + std::to_string(document->width) + " x " +
                         std::to_string(document->length) + " dots, the label is " +
                         std::to_string(width_dots) + " x " + std::to_string(length_dots));
    for (const auto& origin : document->origins) {
        if (origin.x < 0 || origin.y < 0 || origin.x >= width_dots || origin.y >= length_dots)
            return Error(errors::kLabelOutOfBounds, "zpl: a field at " + std::to_string(origin.x) +
                                                        "," + std::to_string(origin.y) +
                                                        " is off the " +
                                                        std::to_string(width_dots) + " x " +
                                                        std::to_string(length_dots) + " label");
    }
    if (document->barcodes.empty())
        return Error(errors::kLabelNoBarcode, "zpl: the label has no barcode");
    return {};
}

}  // namespace packline::labels
