// inspect_zpl / validate_label_zpl on arbitrary bytes: never crash, and what
// they return is consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packline/labels/zpl_inspect.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view zpl(reinterpret_cast<const char*>(data), size);
    auto document = packline::labels::inspect_zpl(zpl);
    const packline::Status valid = packline::labels::validate_label_zpl(zpl, 812, 1218);
    // A label that validates must inspect, and carry a barcode.
    if (valid.ok() && (!document.ok() || document->barcodes.empty())) std::abort();
    if (!document.ok() && document.error().code != "label.bad_zpl") std::abort();
    return 0;
}
