#include "packline/hardware/symbology.h"

#include <array>
#include <utility>

namespace packline::hardware {
namespace {

constexpr std::array<std::pair<Symbology, std::string_view>, 18> kNames{{
    {Symbology::Unknown, "unknown"},
    {Symbology::Code128, "code128"},
    {Symbology::Gs1_128, "gs1-128"},
    {Symbology::Ean13, "ean13"},
    {Symbology::Ean8, "ean8"},
    {Symbology::UpcA, "upca"},
    {Symbology::UpcE, "upce"},
    {Symbology::Code39, "code39"},
    {Symbology::Itf, "itf"},
    {Symbology::DataBar, "databar"},
    {Symbology::DataMatrix, "datamatrix"},
    {Symbology::Gs1DataMatrix, "gs1-datamatrix"},
    {Symbology::QrCode, "qrcode"},
    {Symbology::Gs1Qr, "gs1-qr"},
    {Symbology::DotCode, "dotcode"},
    {Symbology::Gs1DotCode, "gs1-dotcode"},
    {Symbology::Pdf417, "pdf417"},
    {Symbology::Aztec, "aztec"},
}};

}  // namespace

std::string_view symbology_name(Symbology symbology) {
    for (const auto& [value, name] : kNames)
        if (value == symbology) return name;
    return "unknown";
}

std::optional<Symbology> symbology_from_name(std::string_view name) {
    for (const auto& [value, known] : kNames)
        if (known == name) return value;
    return std::nullopt;
}

}  // namespace packline::hardware
