// packline decode FILE...: barcodes in image files, through the camera's own
// decode path, one line per barcode: FILE<TAB>FORMAT<TAB>TEXT.
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "packline/drivers/camera_decode.h"

namespace packline::cli {
namespace {

struct DecodeArguments {
    drivers::DecodeOptions decode;
    std::vector<std::string> files;
};

int decode_files(const DecodeArguments& arguments, std::ostream& out, std::ostream& err) {
    int status = command_line::kExitOk;
    for (const std::string& file : arguments.files) {
        auto found = drivers::decode_image_file(file, arguments.decode);
        if (!found.ok()) {
            err << "packline decode: " << found.error().message << '\n';
            status = command_line::kExitFailed;
            continue;
        }
        for (const drivers::DecodedBarcode& barcode : found.value())
            out << drivers::format_decode_line(file, barcode) << '\n';
    }
    return status;
}

}  // namespace

void add_decode_command(CLI::App& root, Invocation& invocation) {
    auto arguments = std::make_shared<DecodeArguments>();
    CLI::App* decode =
        root.add_subcommand("decode", "barcodes in image files (the camera's decode path)");
    decode
        ->add_option_function<std::string>(
            "--formats",
            [arguments](const std::string& list) {
                arguments->decode.formats.clear();
                std::istringstream names(list);
                std::string name;
                while (std::getline(names, name, ','))
                    arguments->decode.formats.push_back(
                        drivers::parse_barcode_format(name).value());
            },
            "the symbologies to look for, comma-separated (code128,qrcode,...)")
        ->type_name("LIST")
        ->check(command_line::check_with(
            [](const std::string& list) {
                std::istringstream names(list);
                std::string name;
                while (std::getline(names, name, ','))
                    if (auto format = drivers::parse_barcode_format(name); !format.ok())
                        return format.error().message;
                return std::string();
            },
            "FORMATS"));
    decode->add_option("files", arguments->files, "image files (PNG, JPEG, ...)")
        ->type_name("FILE")
        ->required();
    command_line::runs(*decode, invocation, [arguments, &invocation] {
        return decode_files(*arguments, invocation.out, invocation.err);
    });
}

}  // namespace packline::cli
