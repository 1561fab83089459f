#include "csv_reader.h"

namespace packline::station::import_csv {
namespace {

class CsvScanner {
  public:
    explicit CsvScanner(std::string_view text) : text_(text) {}

    std::vector<CsvRecord> run() {
        std::vector<CsvRecord> records;
        while (position_ < text_.size()) {
            if (at_line_end()) {  // blank line
                skip_line_end();
                continue;
            }
            records.push_back(read_record());
        }
        return records;
    }

  private:
    bool at_line_end() const { return text_[position_] == '\n' || text_[position_] == '\r'; }

    // Consumes one line ending (CRLF, LF or lone CR) and counts the line.
    void skip_line_end() {
        if (text_[position_] == '\r' && position_ + 1 < text_.size() &&
            text_[position_ + 1] == '\n')
            ++position_;
        ++position_;
        ++line_;
    }

    CsvRecord read_record() {
        CsvRecord record;
        record.line = line_;
        while (true) {
            std::string field;
            if (position_ < text_.size() && text_[position_] == '"') {
                read_quoted(field, record);
            } else {
                while (position_ < text_.size() && text_[position_] != ',' && !at_line_end())
                    field += text_[position_++];
            }
            record.fields.push_back(std::move(field));
            if (!record.error.empty()) {
                skip_rest_of_line();
                return record;
            }
            if (position_ >= text_.size()) return record;
            if (text_[position_] == ',') {
                ++position_;
                continue;
            }
            skip_line_end();
            return record;
        }
    }

    void read_quoted(std::string& field, CsvRecord& record) {
        ++position_;  // opening quote
        while (true) {
            if (position_ >= text_.size()) {
                record.error = "a quoted field is never closed (the rest of the file is inside it)";
                return;
            }
            const char c = text_[position_];
            if (c == '"') {
                if (position_ + 1 < text_.size() && text_[position_ + 1] == '"') {
                    field += '"';
                    position_ += 2;
                    continue;
                }
                ++position_;  // closing quote
                if (position_ < text_.size() && text_[position_] != ',' && !at_line_end())
                    record.error = "text after the closing quote of a field";
                return;
            }
            if (c == '\r' || c == '\n') {
                field += '\n';
                skip_line_end();
                continue;
            }
            field += c;
            ++position_;
        }
    }

    void skip_rest_of_line() {
        while (position_ < text_.size() && !at_line_end())
            ++position_;
        if (position_ < text_.size()) skip_line_end();
    }

    std::string_view text_;
    std::size_t position_ = 0;
    int line_ = 1;
};

}  // namespace

std::vector<CsvRecord> read_csv_records(std::string_view text) {
    return CsvScanner(text).run();
}

}  // namespace packline::station::import_csv
