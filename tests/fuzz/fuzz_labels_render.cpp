// render_label (ZPL) on arbitrary label fields (one field per line of the
// input): it either refuses, or produces one well-formed label whose barcodes
// read back as the order and tracking number, whatever the free text holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "packline/labels/label_code.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "packline/labels/zpl_inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace packline::labels;
    static const LabelTemplate label_template = load_template(kDefaultTemplate).value();
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> fields;
    while (!input.empty() && fields.size() < 13) {
        const std::size_t end = input.find('\n');
        fields.emplace_back(input.substr(0, end));
        input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    }
    fields.resize(13);
    LabelData label;
    label.order_id = fields[0];
    label.tracking_number = fields[1];
    label.recipient_name = fields[2];
    label.address_lines = {fields[3], fields[4]};
    label.city = fields[5];
    label.postal_code = fields[6];
    label.country = fields[7];
    label.sender_name = fields[8];
    label.carrier_name = fields[9];
    label.service = fields[10];
    label.station = fields[11];
    label.sscc = fields[12];
    label.parcel_count = static_cast<int>(size % 4);
    label.weight_g = static_cast<double>(size);
    label.items = {{fields[5], fields[6], "", "", "", 1}};

    auto zpl = render_label(label_template, label, LabelFormat::Zpl);
    if (!zpl.ok()) return 0;
    if (!validate_label_zpl(zpl->bytes, 812, 1218).ok()) std::abort();
    auto document = inspect_zpl(zpl->bytes);
    if (!document.ok()) std::abort();
    const std::size_t expected = label.sscc.empty() ? 2 : 3;
    if (document->barcodes.size() != expected) std::abort();
    for (const auto& barcode : document->barcodes) {
        if (barcode.type == "code128" && barcode.data != label.tracking_number) std::abort();
        if (barcode.type == "gs1-128" && barcode.data != "00" + label.sscc) std::abort();
        if (barcode.type == "qr") {
            auto code = parse_label_code(barcode.data);
            if (!code || code->order_id != label.order_id ||
                code->tracking_number != label.tracking_number)
                std::abort();
        }
    }
    return 0;
}
