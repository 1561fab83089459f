#include "cups_ipp.h"

#include <cerrno>
#include <cstring>

#include "packline/hardware/device_errors.h"

namespace packline::drivers::cups_io {
namespace {

// A request that hangs (cupsd stopped with SIGSTOP, a dead network) must not
// keep close() waiting: give up after this long without an answer.
constexpr double kRequestTimeoutSeconds = 5.0;

int give_up(http_t* /*http*/, void* /*user_data*/) {
    return 0;
}

std::string last_error() {
    const char* text = cupsLastErrorString();
    return text != nullptr && *text != '\0' ? std::string(text) : std::string("no answer");
}

// cupsDoRequest returns nullptr both when cupsd is gone and when it answered
// with an error; the last error tells them apart.
Outcome outcome_of(ipp_t* response) {
    const ipp_status_t status = response != nullptr ? ippGetStatusCode(response) : cupsLastError();
    if (status == IPP_STATUS_ERROR_NOT_FOUND) return Outcome::NotFound;
    if (response == nullptr || status > IPP_STATUS_OK_EVENTS_COMPLETE) return Outcome::Unreachable;
    return Outcome::Ok;
}

}  // namespace

void use_server(const std::string& server) {
    cupsSetServer(server.empty() ? nullptr : server.c_str());
}

std::string server_label() {
    const char* host = cupsServer();
    if (host != nullptr && host[0] == '/') return host;
    return std::string(host != nullptr ? host : "localhost") + ":" + std::to_string(ippPort());
}

Result<Connection> connect(const std::string& server, std::chrono::milliseconds timeout) {
    use_server(server);
    errno = 0;
    http_t* http = httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1,
                                static_cast<int>(timeout.count()), nullptr);
    if (http == nullptr) {
        // errno is only telling for these; after other failures libcups may
        // have closed sockets and left an unrelated value.
        const int error = errno;
        const bool telling = error == ECONNREFUSED || error == ETIMEDOUT || error == EHOSTUNREACH ||
                             error == ENETUNREACH || error == ENOENT;
        return Error(errors::kPrinterCups, "cupsd " + server_label() + " unreachable: " +
                                               (telling ? std::strerror(error) : "cannot connect"));
    }
    httpSetTimeout(http, kRequestTimeoutSeconds, give_up, nullptr);
    return Connection(http);
}

std::string printer_uri(const std::string& queue) {
    char uri[HTTP_MAX_URI];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", nullptr, "localhost", ippPort(),
                     "/printers/%s", queue.c_str());
    return uri;
}

std::vector<std::string> strings_of(ipp_t* message, const char* name) {
    std::vector<std::string> values;
    ipp_attribute_t* attribute = ippFindAttribute(message, name, IPP_TAG_ZERO);
    if (attribute == nullptr) return values;
    const int count = ippGetCount(attribute);
    for (int index = 0; index < count; ++index) {
        const char* text = ippGetString(attribute, index, nullptr);
        if (text != nullptr) values.emplace_back(text);
    }
    return values;
}

namespace {

std::string first_string(ipp_t* message, const char* name) {
    std::vector<std::string> values = strings_of(message, name);
    return values.empty() ? std::string() : values.front();
}

int integer_of(ipp_t* message, const char* name, int fallback) {
    ipp_attribute_t* attribute = ippFindAttribute(message, name, IPP_TAG_ENUM);
    if (attribute == nullptr) attribute = ippFindAttribute(message, name, IPP_TAG_INTEGER);
    return attribute != nullptr ? ippGetInteger(attribute, 0) : fallback;
}

}  // namespace

PrinterAnswer get_printer(http_t* http, const std::string& queue) {
    static const char* const requested[] = {"printer-state", "printer-state-reasons",
                                            "printer-state-message", "printer-is-accepting-jobs"};
    ipp_t* request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    const std::string uri = printer_uri(queue);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  static_cast<int>(std::size(requested)), nullptr, requested);
    IppMessage response(cupsDoRequest(http, request, "/"));

    PrinterAnswer answer;
    answer.outcome = outcome_of(response.get());
    if (answer.outcome != Outcome::Ok) {
        answer.error = last_error();
        return answer;
    }
    answer.printer.state = integer_of(response.get(), "printer-state", kCupsPrinterIdle);
    answer.printer.reasons = strings_of(response.get(), "printer-state-reasons");
    answer.printer.message = first_string(response.get(), "printer-state-message");
    ipp_attribute_t* accepting =
        ippFindAttribute(response.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
    answer.printer.accepting = accepting == nullptr || ippGetBoolean(accepting, 0) != 0;
    return answer;
}

JobAnswer get_job(http_t* http, const std::string& queue, int job_id) {
    static const char* const requested[] = {"job-state", "job-state-reasons",
                                            "job-printer-state-message"};
    ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    const std::string uri = printer_uri(queue);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  static_cast<int>(std::size(requested)), nullptr, requested);
    IppMessage response(cupsDoRequest(http, request, "/"));

    JobAnswer answer;
    answer.outcome = outcome_of(response.get());
    if (answer.outcome != Outcome::Ok) {
        answer.error = last_error();
        return answer;
    }
    answer.job.state = integer_of(response.get(), "job-state", kCupsJobPending);
    answer.job.reasons = strings_of(response.get(), "job-state-reasons");
    answer.job.message = first_string(response.get(), "job-printer-state-message");
    return answer;
}

std::optional<std::string> default_destination(http_t* http) {
    cups_dest_t* dest = cupsGetNamedDest(http, nullptr, nullptr);
    if (dest == nullptr) return std::nullopt;
    std::string name = dest->name != nullptr ? dest->name : "";
    cupsFreeDests(1, dest);
    if (name.empty()) return std::nullopt;
    return name;
}

}  // namespace packline::drivers::cups_io
