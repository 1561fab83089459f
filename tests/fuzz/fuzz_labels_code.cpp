// parse_label_code on arbitrary bytes: a payload that parses is exactly the
// payload its fields produce.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packline/labels/label_code.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view payload(reinterpret_cast<const char*>(data), size);
    auto code = packline::labels::parse_label_code(payload);
    if (code &&
        packline::labels::label_code_payload(code->order_id, code->tracking_number) != payload)
        std::abort();
    return 0;
}
