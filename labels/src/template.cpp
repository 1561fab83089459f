#include "packline/labels/template.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "builtin_templates.h"
#include "fields.h"
#include "packline/labels/label_errors.h"
#include "packline/toml_load.h"

namespace packline::labels {
namespace {

constexpr double kMillimetresPerInch = 25.4;
constexpr int kMaxBaseDepth = 4;

Error bad(std::string_view source, const std::string& what) {
    return Error(errors::kLabelBadTemplate, std::string(source) + ": " + what);
}

class Reader {
  public:
    Reader(const toml::table& table, std::string_view source, std::string where)
        : table_(table), source_(source), where_(std::move(where)) {}

    Status number(std::string_view key, double& target, double min, double max) const {
        const toml::node* node = table_.get(key);
        if (node == nullptr) return {};
        std::optional<double> value = node->value<double>();
        if (!value || !std::isfinite(*value) || *value < min || *value > max)
            return fail(key, "must be a number from " + trim(min) + " to " + trim(max));
        target = *value;
        return {};
    }
    Status integer(std::string_view key, int& target, int min, int max) const {
        const toml::node* node = table_.get(key);
        if (node == nullptr) return {};
        std::optional<std::int64_t> value = node->value<std::int64_t>();
        if (!node->is_integer() || !value || *value < min || *value > max)
            return fail(key, "must be a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max));
        target = static_cast<int>(*value);
        return {};
    }
    Status text(std::string_view key, std::string& target) const {
        const toml::node* node = table_.get(key);
        if (node == nullptr) return {};
        if (!node->is_string()) return fail(key, "must be a string");
        target = *node->value<std::string>();
        return {};
    }
    Status boolean(std::string_view key, bool& target) const {
        const toml::node* node = table_.get(key);
        if (node == nullptr) return {};
        if (!node->is_boolean()) return fail(key, "must be true or false");
        target = *node->value<bool>();
        return {};
    }
    Status align(std::string_view key, Align& target) const {
        std::string value;
        if (auto status = text(key, value); !status) return status;
        if (value.empty()) return {};
        if (value == "left")
            target = Align::Left;
        else if (value == "center")
            target = Align::Center;
        else if (value == "right")
            target = Align::Right;
        else
            return fail(key, "must be left, center or right");
        return {};
    }
    Status unknown_keys(std::initializer_list<std::string_view> known) const {
        for (const auto& [key, node] : table_) {
            (void)node;
            if (std::find(known.begin(), known.end(), key.str()) == known.end())
                return fail(key.str(), "is not a template key (misspelt?)");
        }
        return {};
    }
    Error fail(std::string_view key, const std::string& what) const {
        return bad(source_, where_ + std::string(key) + " " + what);
    }

  private:
    static std::string trim(double value) {
        std::ostringstream out;
        out << value;
        return out.str();
    }
    const toml::table& table_;
    std::string_view source_;
    std::string where_;
};

Result<Symbology> symbology_of(const std::string& name) {
    if (name == "code128") return Symbology::Code128;
    if (name == "gs1-128") return Symbology::Gs1_128;
    if (name == "qr") return Symbology::QrCode;
    if (name == "datamatrix") return Symbology::DataMatrix;
    return Error(errors::kLabelBadTemplate, "symbology must be code128, gs1-128, qr or datamatrix");
}

Result<ElementType> element_type_of(const std::string& name) {
    if (name == "text") return ElementType::Text;
    if (name == "barcode") return ElementType::Barcode;
    if (name == "rule") return ElementType::Rule;
    if (name == "box") return ElementType::Box;
    if (name == "items") return ElementType::Items;
    return Error(errors::kLabelBadTemplate, "type must be text, barcode, rule, box or items");
}

Status read_columns(const toml::array& array, std::string_view source, const std::string& where,
                    std::vector<ItemColumn>& columns) {
    static const std::vector<std::string_view> fields{"sku",    "description", "style",  "size",
                                                      "colour", "quantity",    "variant"};
    columns.clear();
    int index = 0;
    for (const toml::node& node : array) {
        const std::string column_where = where + "columns[" + std::to_string(index++) + "].";
        const toml::table* table = node.as_table();
        if (table == nullptr) return bad(source, column_where + " must be a table");
        Reader reader(*table, source, column_where);
        ItemColumn column;
        if (auto s = reader.unknown_keys({"field", "title", "width", "align"}); !s) return s;
        if (auto s = reader.text("field", column.field); !s) return s;
        if (std::find(fields.begin(), fields.end(), column.field) == fields.end())
            return reader.fail("field",
                               "must be one of sku, description, style, size, colour, "
                               "quantity, variant");
        if (auto s = reader.text("title", column.title); !s) return s;
        if (auto s = reader.number("width", column.width, 0.01, 100); !s) return s;
        if (auto s = reader.align("align", column.align); !s) return s;
        columns.push_back(std::move(column));
    }
    if (columns.empty()) return bad(source, where + "columns must name at least one column");
    return {};
}

Result<TemplateElement> read_element(const toml::table& table, std::string_view source,
                                     const std::string& where) {
    Reader reader(table, source, where);
    if (auto s =
            reader.unknown_keys({"type", "x", "y", "width", "height", "when", "text", "size",
                                 "min_size", "bold", "align", "max_lines", "symbology", "data",
                                 "human_readable", "module", "min_module", "thickness", "columns"});
        !s)
        return s.error();
    TemplateElement element;
    std::string type_name;
    if (auto s = reader.text("type", type_name); !s) return s.error();
    auto type = element_type_of(type_name);
    if (!type) return reader.fail("type", "must be text, barcode, rule, box or items");
    element.type = *type;
    for (auto [key, target] :
         {std::pair{"x", &element.x_mm}, std::pair{"y", &element.y_mm},
          std::pair{"width", &element.width_mm}, std::pair{"height", &element.height_mm}})
        if (auto s = reader.number(key, *target, 0, 2000); !s) return s.error();
    if (auto s = reader.text("when", element.when); !s) return s.error();
    if (!element.when.empty() && !field_value(LabelData{}, element.when))
        return reader.fail("when", "names no field: " + element.when);
    if (auto s = reader.text("text", element.text); !s) return s.error();
    if (auto s = reader.number("size", element.size_pt, 3, 200); !s) return s.error();
    element.min_size_pt = element.size_pt;
    if (auto s = reader.number("min_size", element.min_size_pt, 3, 200); !s) return s.error();
    if (element.min_size_pt > element.size_pt)
        return reader.fail("min_size", "must not exceed size");
    if (auto s = reader.boolean("bold", element.bold); !s) return s.error();
    if (auto s = reader.align("align", element.align); !s) return s.error();
    if (auto s = reader.integer("max_lines", element.max_lines, 0, 100); !s) return s.error();
    std::string symbology = "code128";
    if (auto s = reader.text("symbology", symbology); !s) return s.error();
    auto parsed_symbology = symbology_of(symbology);
    if (!parsed_symbology)
        return reader.fail("symbology", "must be code128, gs1-128, qr or datamatrix");
    element.symbology = *parsed_symbology;
    if (auto s = reader.text("data", element.data); !s) return s.error();
    if (auto s = reader.boolean("human_readable", element.human_readable); !s) return s.error();
    if (auto s = reader.number("module", element.module_mm, 0.05, 5); !s) return s.error();
    element.min_module_mm = std::min(element.min_module_mm, element.module_mm);
    if (auto s = reader.number("min_module", element.min_module_mm, 0.05, 5); !s) return s.error();
    if (element.min_module_mm > element.module_mm)
        return reader.fail("min_module", "must not exceed module");
    if (auto s = reader.number("thickness", element.thickness_mm, 0.05, 50); !s) return s.error();

    if (element.width_mm <= 0) return reader.fail("width", "is needed and must be above 0");
    const bool line = element.type == ElementType::Rule;
    if (element.height_mm <= 0 && !line)
        return reader.fail("height", "is needed and must be above 0");
    if (element.type == ElementType::Text) {
        if (element.text.empty()) return reader.fail("text", "is needed for a text element");
        if (auto problem = check_placeholders(element.text); !problem.empty())
            return reader.fail("text", problem);
    }
    if (element.type == ElementType::Barcode) {
        if (element.data.empty()) return reader.fail("data", "is needed for a barcode");
        if (auto problem = check_placeholders(element.data); !problem.empty())
            return reader.fail("data", problem);
    }
    if (element.type == ElementType::Items) {
        const toml::array* columns = table.get_as<toml::array>("columns");
        if (columns == nullptr) return reader.fail("columns", "is needed for an items table");
        if (auto s = read_columns(*columns, source, where, element.columns); !s) return s.error();
    }
    return element;
}

Result<LabelTemplate> parse_with_depth(std::string_view toml_text, std::string_view source,
                                       int depth);

Result<LabelTemplate> builtin(std::string_view name, int depth) {
    for (const auto& entry : builtin_templates())
        if (entry.name == name) return parse_with_depth(entry.text, entry.name, depth);
    return Error(errors::kLabelNoTemplate,
                 "no built-in template called \"" + std::string(name) + "\"");
}

Result<LabelTemplate> parse_with_depth(std::string_view toml_text, std::string_view source,
                                       int depth) {
    TomlLoad loaded = load_toml(toml_text, source, TomlWhere::Line);
    if (!loaded.table) return bad(source, loaded.problem);
    const toml::table& root = *loaded.table;
    Reader reader(root, source, "");
    if (auto s = reader.unknown_keys({"name", "description", "base", "width_mm", "height_mm", "dpi",
                                      "formats", "font", "zpl_text", "element"});
        !s)
        return s.error();

    LabelTemplate result;
    std::string base;
    if (auto s = reader.text("base", base); !s) return s.error();
    if (!base.empty()) {
        if (depth >= kMaxBaseDepth) return bad(source, "base templates nest too deep");
        auto parent = builtin(base, depth + 1);
        if (!parent) return bad(source, "base: " + parent.error().message);
        result = std::move(*parent);
    }
    std::filesystem::path source_path{std::string(source)};
    result.name = source_path.stem().string();
    if (auto s = reader.text("name", result.name); !s) return s.error();
    if (auto s = reader.text("description", result.description); !s) return s.error();
    if (auto s = reader.number("width_mm", result.width_mm, 10, 1000); !s) return s.error();
    if (auto s = reader.number("height_mm", result.height_mm, 10, 2000); !s) return s.error();
    if (auto s = reader.integer("dpi", result.dpi, 72, 1200); !s) return s.error();
    if (auto s = reader.text("font", result.font); !s) return s.error();
    if (auto s = reader.text("zpl_text", result.zpl_text); !s) return s.error();
    if (result.zpl_text != "auto" && result.zpl_text != "graphic")
        return reader.fail("zpl_text", "must be auto or graphic");
    if (const toml::node* formats = root.get("formats")) {
        const toml::array* array = formats->as_array();
        if (array == nullptr) return reader.fail("formats", "must be a list");
        result.formats.clear();
        for (const toml::node& node : *array) {
            std::optional<std::string> format = node.value<std::string>();
            if (!format || (*format != "zpl" && *format != "png" && *format != "pdf"))
                return reader.fail("formats", "may hold only \"zpl\", \"png\" and \"pdf\"");
            result.formats.push_back(*format);
        }
    }
    if (result.width_mm <= 0 || result.height_mm <= 0)
        return bad(source, "width_mm and height_mm are needed");
    if (const toml::node* elements = root.get("element")) {
        const toml::array* array = elements->as_array();
        if (array == nullptr) return reader.fail("element", "must be [[element]] tables");
        result.elements.clear();
        int index = 0;
        for (const toml::node& node : *array) {
            const std::string where = "element[" + std::to_string(index++) + "].";
            const toml::table* table = node.as_table();
            if (table == nullptr) return bad(source, where + " must be a table");
            auto element = read_element(*table, source, where);
            if (!element) return element.error();
            result.elements.push_back(std::move(*element));
        }
    }
    if (result.elements.empty()) return bad(source, "a template needs at least one [[element]]");
    // Everything on the page: a template mistake shows when it is loaded, not
    // as a label that the printer clips.
    constexpr double kSlack = 0.01;
    for (std::size_t i = 0; i < result.elements.size(); ++i) {
        const TemplateElement& e = result.elements[i];
        const double height =
            e.type == ElementType::Rule ? std::max(e.height_mm, e.thickness_mm) : e.height_mm;
        if (e.x_mm + e.width_mm > result.width_mm + kSlack ||
            e.y_mm + height > result.height_mm + kSlack)
            return bad(source, "element[" + std::to_string(i) + "] does not fit on the " +
                                   "page (" + std::to_string(result.width_mm) + " x " +
                                   std::to_string(result.height_mm) + " mm)");
    }
    return result;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

int LabelTemplate::width_dots() const {
    return static_cast<int>(std::lround(width_mm / kMillimetresPerInch * dpi));
}

int LabelTemplate::height_dots() const {
    return static_cast<int>(std::lround(height_mm / kMillimetresPerInch * dpi));
}

bool LabelTemplate::allows(std::string_view format) const {
    return std::find(formats.begin(), formats.end(), format) != formats.end();
}

Result<LabelTemplate> parse_template(std::string_view toml_text, std::string_view source) {
    return parse_with_depth(toml_text, source, 0);
}

Result<LabelTemplate> load_template(std::string_view name_or_path, const std::string& directory) {
    namespace fs = std::filesystem;
    const std::string name(name_or_path);
    if (name.size() > 5 && name.ends_with(".toml")) {
        auto text = read_file(name);
        if (!text) return Error(errors::kLabelNoTemplate, "cannot read template file " + name);
        return parse_template(*text, name);
    }
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
        return Error(errors::kLabelNoTemplate, "bad template name \"" + name + "\"");
    if (!directory.empty()) {
        const fs::path path = fs::path(directory) / (name + ".toml");
        if (auto text = read_file(path)) return parse_template(*text, path.string());
    }
    auto found = builtin(name, 0);
    if (!found && found.error().code == errors::kLabelNoTemplate) {
        std::string known;
        for (const auto& info : list_templates(directory))
            known += (known.empty() ? "" : ", ") + info.name;
        return Error(errors::kLabelNoTemplate,
                     "no template called \"" + name + "\" (known: " + known + ")");
    }
    return found;
}

std::vector<TemplateInfo> list_templates(const std::string& directory) {
    std::map<std::string, TemplateInfo> by_name;
    for (const auto& entry : builtin_templates()) {
        auto parsed = parse_template(entry.text, entry.name);
        by_name[std::string(entry.name)] =
            TemplateInfo{std::string(entry.name),
                         parsed ? parsed->description : parsed.error().message, "built-in"};
    }
    std::error_code ignored;
    if (!directory.empty() && std::filesystem::is_directory(directory, ignored)) {
        for (const auto& file : std::filesystem::directory_iterator(directory, ignored)) {
            if (file.path().extension() != ".toml") continue;
            auto text = read_file(file.path());
            if (!text) continue;
            auto parsed = parse_template(*text, file.path().string());
            const std::string name = file.path().stem().string();
            by_name[name] = TemplateInfo{
                name, parsed ? parsed->description : parsed.error().message, file.path().string()};
        }
    }
    std::vector<TemplateInfo> result;
    for (auto& [name, info] : by_name)
        result.push_back(std::move(info));
    return result;
}

}  // namespace packline::labels
