// packline decode FILE...: barcodes in image files, through the camera's own
// decode path, one line per barcode: FILE<TAB>FORMAT<TAB>TEXT.
#include <iostream>
#include <sstream>

#include "commands.h"
#include "options.h"
#include "packline/drivers/camera_decode.h"

namespace packline::cli {

int decode_command(const Args& given, std::ostream& out, std::ostream& err) {
    Args args = given;
    drivers::DecodeOptions options;
    if (auto formats = take_option(args, "--formats")) {
        options.formats.clear();
        std::istringstream names(*formats);
        std::string name;
        while (std::getline(names, name, ',')) {
            auto format = drivers::parse_barcode_format(name);
            if (!format.ok()) {
                err << "packline decode: " << format.error().message << '\n';
                return 2;
            }
            options.formats.push_back(format.value());
        }
    }
    if (args.empty() || args.front().rfind("--", 0) == 0) {
        err << "usage: packline decode [--formats code128,qrcode,...] FILE...\n";
        return 2;
    }
    int status = 0;
    for (const std::string& file : args) {
        auto found = drivers::decode_image_file(file, options);
        if (!found.ok()) {
            err << "packline decode: " << found.error().message << '\n';
            status = 1;
            continue;
        }
        for (const drivers::DecodedBarcode& barcode : found.value())
            out << drivers::format_decode_line(file, barcode) << '\n';
    }
    return status;
}

}  // namespace packline::cli
