#include "packline/drivers/recording.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "packline/drivers/recording_errors.h"
#include "packline/hardware/events.h"

namespace packline::drivers {

namespace {

constexpr std::string_view kMagic = "# packline device recording v1";

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool parse_hex(std::string_view text, std::vector<std::uint8_t>& out) {
    if (text.size() % 2 != 0) return false;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int high = hex_value(text[i]);
        int low = hex_value(text[i + 1]);
        if (high < 0 || low < 0) return false;
        out.push_back(static_cast<std::uint8_t>(high * 16 + low));
    }
    return true;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (std::uint8_t byte : bytes) {
        text.push_back(digits[byte >> 4]);
        text.push_back(digits[byte & 0x0F]);
    }
    return text;
}

// Header values are one line: a newline in notes would start a body line.
std::string one_line(std::string_view value) {
    std::string text(value);
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

std::string kind_word(RecordedChunk::Kind kind) {
    switch (kind) {
        case RecordedChunk::Kind::Data:
            return "data";
        case RecordedChunk::Kind::Gone:
            return "gone";
        case RecordedChunk::Kind::Back:
            return "back";
    }
    return "data";
}

}  // namespace

std::string Recording::family() const {
    auto found = header.find("family");
    return found == header.end() ? std::string() : found->second;
}

Result<Recording> parse_recording(std::string_view text, std::string_view source) {
    Recording recording;
    bool in_body = false;
    std::int64_t previous_offset = 0;
    std::size_t line_number = 0;
    auto fail = [&](const std::string& what) {
        return Error(errors::kRecordingInvalid,
                     std::string(source) + ":" + std::to_string(line_number) + ": " + what);
    };
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = trim(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++line_number;
        if (!in_body) {
            if (line_number == 1 && line != kMagic)
                return fail("not a packline device recording (first line must be '" +
                            std::string(kMagic) + "')");
            if (line_number == 1 || line.empty()) continue;
            if (line == "---") {
                in_body = true;
                continue;
            }
            if (line.front() == '#') continue;
            auto colon = line.find(':');
            const std::string_view key =
                colon == std::string_view::npos ? std::string_view() : trim(line.substr(0, colon));
            if (key.empty()) return fail("header line is not 'key: value'");
            recording.header[std::string(key)] = std::string(trim(line.substr(colon + 1)));
            continue;
        }
        if (line.empty() || line.front() == '#') continue;
        RecordedChunk chunk;
        auto space = line.find(' ');
        auto offset_text = line.substr(0, space);
        auto [ptr, error] = std::from_chars(
            offset_text.data(), offset_text.data() + offset_text.size(), chunk.offset_ms);
        if (error != std::errc() || ptr != offset_text.data() + offset_text.size() ||
            chunk.offset_ms < 0)
            return fail("expected milliseconds, got '" + std::string(offset_text) + "'");
        if (chunk.offset_ms < previous_offset) return fail("time goes backwards");
        previous_offset = chunk.offset_ms;
        std::string_view rest =
            space == std::string_view::npos ? std::string_view() : trim(line.substr(space + 1));
        auto word_end = rest.find(' ');
        auto word = rest.substr(0, word_end);
        auto payload =
            word_end == std::string_view::npos ? std::string_view() : trim(rest.substr(word_end));
        if (word == "data") {
            chunk.kind = RecordedChunk::Kind::Data;
            if (payload.empty()) return fail("data line without bytes");
            if (!parse_hex(payload, chunk.bytes)) return fail("bad hex bytes");
        } else if (word == "gone" || word == "back") {
            chunk.kind = word == "gone" ? RecordedChunk::Kind::Gone : RecordedChunk::Kind::Back;
            if (!payload.empty()) return fail("'" + std::string(word) + "' takes no bytes");
        } else {
            return fail("expected data, gone or back, got '" + std::string(word) + "'");
        }
        recording.chunks.push_back(std::move(chunk));
    }
    if (!in_body) return Error(errors::kRecordingInvalid, std::string(source) + ": no '---' line");
    if (recording.family().empty())
        return Error(errors::kRecordingInvalid, std::string(source) + ": header has no 'family'");
    return recording;
}

Result<Recording> load_recording(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return Error(errors::kRecordingUnreadable, "cannot open recording " + path);
    std::ostringstream content;
    content << file.rdbuf();
    return parse_recording(content.str(), path);
}

std::string format_recording(const Recording& recording) {
    std::string text(kMagic);
    text += '\n';
    for (const auto& [key, value] : recording.header)
        text += one_line(key) + ": " + one_line(value) + '\n';
    text += "---\n";
    for (const auto& chunk : recording.chunks) {
        text += std::to_string(chunk.offset_ms) + ' ' + kind_word(chunk.kind);
        if (chunk.kind == RecordedChunk::Kind::Data) text += ' ' + to_hex(chunk.bytes);
        text += '\n';
    }
    return text;
}

Result<std::unique_ptr<Recorder>> Recorder::create(
    const std::string& path, const std::map<std::string, std::string>& header) {
    if (header.find("family") == header.end())
        return Error(errors::kRecordingInvalid, "a recording needs a 'family' header");
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (file == nullptr) return Error(errors::kRecordingUnwritable, "cannot create " + path);
    Recording empty;
    empty.header = header;
    std::string head = format_recording(empty);
    if (std::fputs(head.c_str(), file) < 0 || std::fflush(file) != 0) {
        std::fclose(file);
        return Error(errors::kRecordingUnwritable, "cannot write " + path);
    }
    return std::unique_ptr<Recorder>(new Recorder(file, hardware::now_ms()));
}

Recorder::Recorder(std::FILE* file, std::int64_t start_ms) : file_(file), start_ms_(start_ms) {}

Recorder::~Recorder() {
    std::lock_guard lock(mutex_);
    std::fclose(file_);
}

void Recorder::write_line(const std::string& line) {
    std::lock_guard lock(mutex_);
    std::int64_t offset = std::max<std::int64_t>(0, hardware::now_ms() - start_ms_);
    std::string text = std::to_string(offset) + ' ' + line + '\n';
    // A full disk loses the recording's tail, never the device's data.
    std::fputs(text.c_str(), file_);
    std::fflush(file_);
    ++chunks_;
}

void Recorder::data(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return;
    write_line("data " + to_hex(bytes));
}

void Recorder::gone() {
    write_line("gone");
}

void Recorder::back() {
    write_line("back");
}

std::size_t Recorder::chunks() const {
    std::lock_guard lock(mutex_);
    return chunks_;
}

}  // namespace packline::drivers
