// Private to packline_cups: RAII for libcups handles and the few IPP queries
// the printer and the detection need. Includes CUPS headers, so it must never
// be reached from a public header.
//
// Thread-safety: libcups keeps the default server (cupsSetServer) and the last
// error (cupsLastError*) per thread. Callers run use_server() (connect() does
// it) on their own thread before the queries, and use each http_t from one
// thread at a time.
#pragma once

#include <cups/cups.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "packline/drivers/cups_status.h"
#include "packline/error.h"

namespace packline::drivers::cups_io {

struct HttpCloser {
    void operator()(http_t* http) const { httpClose(http); }
};
using Connection = std::unique_ptr<http_t, HttpCloser>;

struct IppDeleter {
    void operator()(ipp_t* message) const { ippDelete(message); }
};
using IppMessage = std::unique_ptr<ipp_t, IppDeleter>;

// Points this thread's libcups at `server` (empty: CUPS_SERVER, client.conf
// or the local default). Needed before every libcups call that builds an
// "ipp://localhost:<port>/printers/..." URI itself (cupsCreateJob & co use
// ippPort(); devices.md §4.3: a test cupsd on another port rejects the job
// otherwise).
void use_server(const std::string& server);

// "127.0.0.1:18631" or "/run/cups/cups.sock", for messages.
std::string server_label();

// Opens a connection to this thread's server. Errors: "printer.cups".
Result<Connection> connect(const std::string& server, std::chrono::milliseconds timeout);

// "ipp://localhost:<port>/printers/<queue>".
std::string printer_uri(const std::string& queue);

enum class Outcome { Ok, NotFound, Unreachable };

struct PrinterAnswer {
    Outcome outcome = Outcome::Unreachable;
    CupsPrinterObservation printer;
    std::string error;  // when not Ok
};

PrinterAnswer get_printer(http_t* http, const std::string& queue);

struct JobAnswer {
    Outcome outcome = Outcome::Unreachable;
    CupsJobObservation job;
    std::string error;
};

JobAnswer get_job(http_t* http, const std::string& queue, int job_id);

// The CUPS default destination (CUPS-Get-Default plus lpoptions); nullopt when
// there is none or cupsd cannot be asked.
std::optional<std::string> default_destination(http_t* http);

// All strings of a keyword/text attribute.
std::vector<std::string> strings_of(ipp_t* message, const char* name);

}  // namespace packline::drivers::cups_io
