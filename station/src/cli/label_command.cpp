// packline label render ORDER.json ... and packline label templates: labels
// from the documented order JSON (docs/import-format.md), for previews,
// printer set-up and template work.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "options.h"
#include "packline/durable_file.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"
#include "packline/station/import.h"
#include "packline/station/label_data.h"

namespace packline::cli {
namespace {

constexpr const char* kUsage =
    "usage: packline label render ORDER.json [--order ID] [--template NAME|FILE.toml]\n"
    "                             [--format zpl|png|pdf] -o FILE [--template-dir DIR]\n"
    "                             [--tracking NUMBER] [--weight GRAMS] [--parcel N[/M]]\n"
    "                             [--sscc DIGITS] [--date YYYY-MM-DD] [--config FILE]\n"
    "       packline label templates [--template-dir DIR]\n";

// The SSCC is not part of the order import yet: read it off the order's JSON
// object when the file is JSON ("sscc": "...").
std::string sscc_from_json(const std::string& path, const std::string& order_id) {
    std::ifstream in(path);
    nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("orders") ||
        !json["orders"].is_array())
        return "";
    for (const auto& order : json["orders"]) {
        if (!order.is_object() || !order.contains("id")) continue;
        const auto& id = order["id"];
        const std::string text = id.is_string() ? id.get<std::string>() : id.dump();
        if (text == order_id && order.contains("sscc") && order["sscc"].is_string())
            return order["sscc"].get<std::string>();
    }
    return "";
}

int templates_command(Args args, std::ostream& out) {
    const std::string directory = take_option(args, "--template-dir").value_or("");
    for (const auto& info : labels::list_templates(directory))
        out << info.name << '\t' << info.description << '\t' << info.origin << '\n';
    return 0;
}

int render_command(Args args, std::ostream& out, std::ostream& err) {
    auto config = load_station_config(args, err);
    if (!config) return 2;
    // Defaults from the station's [printing] settings.
    const std::string directory =
        take_option(args, "--template-dir").value_or(config->label_template_dir);
    const std::string template_name =
        take_option(args, "--template").value_or(config->label_template);
    std::optional<std::string> output = take_option(args, "-o");
    if (!output) output = take_option(args, "--output");
    std::optional<std::string> format_name = take_option(args, "--format");
    const std::optional<std::string> order_id = take_option(args, "--order");
    const std::optional<std::string> tracking = take_option(args, "--tracking");
    const std::optional<std::string> weight = take_option(args, "--weight");
    const std::optional<std::string> parcel = take_option(args, "--parcel");
    const std::optional<std::string> sscc = take_option(args, "--sscc");
    const std::optional<std::string> date = take_option(args, "--date");
    if (args.size() != 1 || !output || args.front().rfind("--", 0) == 0) {
        err << kUsage;
        return 2;
    }
    if (!format_name) {
        const std::size_t dot = output->rfind('.');
        if (dot != std::string::npos) format_name = output->substr(dot + 1);
    }
    const auto format = labels::parse_label_format(format_name.value_or(config->label_format));
    if (!format) {
        err << "packline label: --format must be zpl, png or pdf\n";
        return 2;
    }
    auto label_template = labels::load_template(template_name, directory);
    if (!label_template) {
        err << "packline label: " << label_template.error().message << '\n';
        return 2;
    }

    const std::string& path = args.front();
    auto imported = station::parse_import_file(path);
    if (!imported) {
        err << "packline label: " << imported.error().message << '\n';
        return 1;
    }
    for (const auto& problem : imported->problems)
        err << "packline label: " << problem.file << ':' << problem.line << ": " << problem.message
            << '\n';
    const auto& orders = imported->batch.orders;
    const station::Order* order = nullptr;
    for (const auto& candidate : orders)
        if (!order_id || candidate.id == *order_id) {
            order = &candidate;
            break;
        }
    if (order == nullptr) {
        err << "packline label: " << path << ": "
            << (order_id ? "no order " + *order_id : std::string("no order in the file")) << '\n';
        return 1;
    }

    station::LabelParcel label_parcel;
    label_parcel.tracking_number = tracking.value_or(order->tracking_number);
    label_parcel.carrier = order->carrier;
    label_parcel.sscc = sscc.value_or(sscc_from_json(path, order->id));
    if (weight) {
        try {
            label_parcel.weight_g = std::stod(*weight);
        } catch (const std::exception&) {
            err << "packline label: --weight must be grams\n";
            return 2;
        }
    }
    if (parcel) {
        const int read =
            std::sscanf(parcel->c_str(), "%d/%d", &label_parcel.sequence, &label_parcel.count);
        if (read < 1) {
            err << "packline label: --parcel must be N or N/M\n";
            return 2;
        }
    }
    station::LabelSender sender{config->sender_name, config->sender_address, config->station_id,
                                date.value_or(station::label_date_today())};
    const auto& skus = imported->batch.skus;
    auto lookup = [&skus](const std::string& code) -> std::optional<station::Sku> {
        for (const auto& sku : skus)
            if (sku.sku == code) return sku;
        return std::nullopt;
    };
    const labels::LabelData data = station::make_label_data(*order, label_parcel, sender, lookup);
    auto rendered = labels::render_label(*label_template, data, *format);
    if (!rendered) {
        err << "packline label: order " << order->id << ": " << rendered.error().message << " ["
            << rendered.error().code << "]\n";
        return 1;
    }
    for (const auto& warning : rendered->warnings)
        err << "packline label: warning: " << warning << '\n';
    if (Status written = write_file_durably(
            *output, std::string_view(rendered->bytes.data(), rendered->bytes.size()));
        !written.ok()) {
        err << "packline label: " << written.error().to_string() << '\n';
        return 1;
    }
    out << *output << '\t' << labels::to_string(*format) << '\t' << label_template->name << '\t'
        << rendered->width_dots << 'x' << rendered->height_dots << '@' << rendered->dpi << "dpi\t"
        << rendered->bytes.size() << " bytes\n";
    return 0;
}

}  // namespace

int label_command(const Args& given, std::ostream& out, std::ostream& err) {
    Args args = given;
    if (args.empty()) {
        err << kUsage;
        return 2;
    }
    const std::string sub = args.front();
    args.erase(args.begin());
    if (sub == "render") return render_command(std::move(args), out, err);
    if (sub == "templates") return templates_command(std::move(args), out);
    err << kUsage;
    return 2;
}

}  // namespace packline::cli
