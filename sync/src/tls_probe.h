// Why a TLS connection to the broker fails, in OpenSSL's words.
//
// Paho reports every TLS failure as "TCP/TLS connect failure". Its C++
// wrapper can forward OpenSSL's messages (ssl_options::set_error_handler),
// but in Paho C++ 1.2 that callback's context points into the connect
// options that async_client::connect() takes by value, which are gone when
// the handshake runs (AddressSanitizer: stack-use-after-scope). So after a
// failed TLS connection the client makes one handshake of its own with the
// same CA, client certificate and host name, and reports what OpenSSL says.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace packline::sync {

struct TlsProbeFiles {
    std::string ca_file;    // empty: the system's CA bundle
    std::string cert_file;  // optional client certificate
    std::string key_file;
};

// Connects to `uri` ("ssl://host:port"), verifies the broker's certificate
// and name, and waits briefly for the broker to refuse the client (TLS 1.3
// servers refuse a missing client certificate after the handshake). Returns
// the reason ("certificate verify failed: self-signed certificate in
// certificate chain", "the broker requires a client certificate"), or ""
// when the handshake works or the broker cannot be reached at all.
std::string probe_tls(std::string_view uri, const TlsProbeFiles& files,
                      std::chrono::milliseconds timeout);

}  // namespace packline::sync
