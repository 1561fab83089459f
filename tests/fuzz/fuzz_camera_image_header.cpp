// Arbitrary bytes as the head of an image file: read_image_dimensions never
// reads past the bytes it is given (ASan) and names a known format when it
// answers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "packline/drivers/image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto dimensions = packline::drivers::read_image_dimensions(std::span(data, size));
    if (dimensions && dimensions->format.empty()) std::abort();
    return 0;
}
