// packline label render ORDER.json ... and packline label templates: labels
// from the documented order JSON (docs/import-format.md), for previews,
// printer set-up and template work.
#include <fstream>
#include <iostream>
#include <memory>
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

struct RenderOptions {
    command_line::StationOptions station;
    std::string order_file;
    std::string output;
    std::optional<std::string> template_dir;
    std::optional<std::string> template_name;
    std::optional<std::string> format;
    std::optional<std::string> order_id;
    std::optional<std::string> tracking;
    std::optional<double> weight;
    std::optional<std::string> parcel;
    std::optional<std::string> sscc;
    std::optional<std::string> date;
};

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

int list_templates(const std::string& directory, std::ostream& out) {
    for (const auto& info : labels::list_templates(directory))
        out << info.name << '\t' << info.description << '\t' << info.origin << '\n';
    return command_line::kExitOk;
}

int render(const RenderOptions& options, std::ostream& out, std::ostream& err) {
    const std::optional<std::string>& order_id = options.order_id;
    const std::string& output = options.output;
    auto config = load_station_config(options.station, err);
    if (!config) return command_line::kExitUsage;
    // Defaults from the station's [printing] settings.
    const std::string directory = options.template_dir.value_or(config->label_template_dir);
    const std::string template_name = options.template_name.value_or(config->label_template);
    std::optional<std::string> format_name = options.format;
    if (!format_name) {
        const std::size_t dot = output.rfind('.');
        if (dot != std::string::npos) format_name = output.substr(dot + 1);
    }
    const auto format = labels::parse_label_format(format_name.value_or(config->label_format));
    if (!format) {
        err << "packline label: --format must be zpl, png or pdf\n";
        return command_line::kExitUsage;
    }
    auto label_template = labels::load_template(template_name, directory);
    if (!label_template) {
        err << "packline label: " << label_template.error().message << '\n';
        return command_line::kExitUsage;
    }

    const std::string& path = options.order_file;
    auto imported = station::parse_import_file(path);
    if (!imported) {
        err << "packline label: " << imported.error().message << '\n';
        return command_line::kExitFailed;
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
        return command_line::kExitFailed;
    }

    station::LabelParcel label_parcel;
    label_parcel.tracking_number = options.tracking.value_or(order->tracking_number);
    label_parcel.carrier = order->carrier;
    label_parcel.sscc = options.sscc.value_or(sscc_from_json(path, order->id));
    if (options.weight) label_parcel.weight_g = *options.weight;
    if (options.parcel) {
        const int read = std::sscanf(options.parcel->c_str(), "%d/%d", &label_parcel.sequence,
                                     &label_parcel.count);
        if (read < 1) {
            err << "packline label: --parcel must be N or N/M\n";
            return command_line::kExitUsage;
        }
    }
    station::LabelSender sender{config->sender_name, config->sender_address, config->station_id,
                                options.date.value_or(station::label_date_today())};
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
        return command_line::kExitFailed;
    }
    for (const auto& warning : rendered->warnings)
        err << "packline label: warning: " << warning << '\n';
    if (Status written = write_file_durably(
            output, std::string_view(rendered->bytes.data(), rendered->bytes.size()));
        !written.ok()) {
        err << "packline label: " << written.error().to_string() << '\n';
        return command_line::kExitFailed;
    }
    out << output << '\t' << labels::to_string(*format) << '\t' << label_template->name << '\t'
        << rendered->width_dots << 'x' << rendered->height_dots << '@' << rendered->dpi << "dpi\t"
        << rendered->bytes.size() << " bytes\n";
    return command_line::kExitOk;
}

}  // namespace

void add_label_command(CLI::App& root, Invocation& invocation) {
    CLI::App* label = root.add_subcommand("label", "labels from the order JSON: render, templates");
    label->require_subcommand(1);

    auto options = std::make_shared<RenderOptions>();
    CLI::App* render_command =
        label->add_subcommand("render", "a label as ZPL, PNG or PDF (docs/labels.md)");
    render_command->add_option("order_file", options->order_file, "orders in the import format")
        ->type_name("ORDER.json")
        ->required();
    render_command->add_option("-o,--output", options->output, "the file to write")
        ->type_name("FILE")
        ->required();
    auto text = [&](const std::string& name, std::optional<std::string> RenderOptions::*field,
                    const std::string& type, const std::string& help) {
        render_command
            ->add_option_function<std::string>(
                name, [options, field](const std::string& value) { (*options).*field = value; },
                help)
            ->type_name(type);
    };
    text("--order", &RenderOptions::order_id, "ID", "the order (default: the file's first)");
    text("--template", &RenderOptions::template_name, "NAME|FILE.toml",
         "the label template (default: [printing] template; packline label templates)");
    text("--format", &RenderOptions::format, "zpl|png|pdf",
         "the output format (default: the output file's extension)");
    text("--template-dir", &RenderOptions::template_dir, "DIR",
         "templates of your own (default: [printing] template_dir)");
    text("--tracking", &RenderOptions::tracking, "NUMBER", "instead of the order's");
    render_command
        ->add_option_function<double>(
            "--weight", [options](double grams) { options->weight = grams; },
            "the parcel's weight in grams")
        ->type_name("GRAMS")
        ->check(CLI::NonNegativeNumber);
    text("--parcel", &RenderOptions::parcel, "N[/M]", "parcel N (of M) of the order");
    text("--sscc", &RenderOptions::sscc, "DIGITS", "the parcel's SSCC");
    text("--date", &RenderOptions::date, "YYYY-MM-DD", "the label's date (default: today)");
    add_station_options(*render_command, options->station);
    command_line::runs(*render_command, invocation, [options, &invocation] {
        return render(*options, invocation.out, invocation.err);
    });

    auto directory = std::make_shared<std::string>();
    CLI::App* templates =
        label->add_subcommand("templates", "the label templates: built-in, and those in DIR");
    templates->add_option("--template-dir", *directory, "templates of your own")->type_name("DIR");
    command_line::runs(*templates, invocation, [directory, &invocation] {
        return list_templates(*directory, invocation.out);
    });
}

}  // namespace packline::cli
