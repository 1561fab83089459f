// What reaches the web layer (packline_web) from outside: a Cookie header
// from any browser, a path or file name, and a listen address typed into
// the station's or the hub's configuration. None may crash; the answers keep
// their promises:
//   - Request::cookie() gives "" or the value of that name, which is part
//     of the header and never holds the ';' that separates pairs;
//   - content_type_for() always names a type;
//   - Response::error() with the text in its message is valid JSON (the
//     404 answer quotes the requested path);
//   - HttpServer::create() succeeds exactly for "host:port" (port 0-65535,
//     at most five digits; host localhost, an IPv4 literal or a bracketed
//     IPv6 literal) and returns a "web.config" error for anything else. The server is created only,
//     never started: nothing is bound.
//
// Input framing (also of the seed corpus in corpus/web_request/): the first
// line is the Cookie header, the second the file name, the rest the listen
// address (newlines included).
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "packline/web/http_server.h"

namespace {

using namespace packline;

void require(bool condition) {
    if (!condition) std::abort();
}

// The rule HttpServer::create() documents, written again independently.
bool is_host_and_port(std::string_view listen) {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view digits = listen.substr(colon + 1);
    if (digits.empty() || digits.size() > 5) return false;
    long port = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        port = port * 10 + (c - '0');
    }
    if (port > 65535) return false;
    // The host: localhost, an IPv4 literal, or an IPv6 literal in brackets.
    const std::string host(listen.substr(0, colon));
    unsigned char address[16];
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), address) == 1;
    return host == "localhost" || inet_pton(AF_INET, host.c_str(), address) == 1;
}

std::string_view next_line(std::string_view& input) {
    const std::size_t newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string cookie_header(next_line(input));
    const std::string file_name(next_line(input));
    const std::string listen(input);

    web::Request request;
    request.method = "GET";
    request.path = "/" + file_name;
    request.headers["cookie"] = cookie_header;
    require(request.header("Cookie") == cookie_header);
    (void)request.header(file_name);
    // The dashboard's session cookie, names a header may hold or almost hold,
    // and a name taken from the input itself.
    const std::string names[] = {"packline_session",
                                 "session",
                                 "a",
                                 "",
                                 "=",
                                 cookie_header.substr(0, cookie_header.find('='))};
    for (const std::string& name : names) {
        const std::string value = request.cookie(name);
        if (value.empty()) continue;
        require(value.find(';') == std::string::npos);
        require(cookie_header.find(name + "=" + value) != std::string::npos);
    }

    require(!web::content_type_for(file_name).empty());
    const web::Response error =
        web::Response::error(404, "web.not_found", "no such page: " + request.path);
    require(nlohmann::json::accept(error.body));

    web::ServerOptions options;
    options.name = "fuzz";
    options.listen = listen;
    auto created = web::HttpServer::create(options);
    require(created.ok() == is_host_and_port(listen));
    if (created.ok()) {
        (void)created.value()->is_loopback();
        (void)created.value()->url();
    } else {
        require(created.error().code == "web.config");
        require(!created.error().message.empty());
    }
    return 0;
}
