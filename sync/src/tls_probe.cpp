#include "tls_probe.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <charconv>
#include <memory>

#include "packline/unique_fd.h"

namespace packline::sync {
namespace {

struct HostPort {
    std::string host;
    std::string port = "8883";
};

HostPort split_uri(std::string_view uri) {
    HostPort result;
    std::string_view rest =
        uri.substr(uri.find("://") == std::string_view::npos ? 0 : uri.find("://") + 3);
    if (rest.starts_with("[")) {
        const auto close = rest.find(']');
        result.host =
            std::string(rest.substr(1, close == std::string_view::npos ? close : close - 1));
        if (close != std::string_view::npos && close + 2 < rest.size() && rest[close + 1] == ':')
            result.port = std::string(rest.substr(close + 2));
        return result;
    }
    const auto colon = rest.rfind(':');
    result.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) result.port = std::string(rest.substr(colon + 1));
    return result;
}

// A blocking TCP connection whose reads and writes give up after `timeout`.
UniqueFd connect_tcp(const HostPort& address, std::chrono::milliseconds timeout) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(address.host.c_str(), address.port.c_str(), &hints, &found) != 0) return {};
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
        UniqueFd fd(::socket(entry->ai_family, entry->ai_socktype, entry->ai_protocol));
        if (!fd) continue;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
        ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
        if (::connect(fd.get(), entry->ai_addr, entry->ai_addrlen) == 0) return fd;
    }
    return {};
}

std::string openssl_error() {
    const unsigned long code = ::ERR_get_error();
    ::ERR_clear_error();
    if (code == 0) return "";
    const char* reason = ::ERR_reason_error_string(code);
    return reason != nullptr ? reason : "error " + std::to_string(code);
}

bool is_ip_address(const std::string& host) {
    in6_addr ignored{};
    return ::inet_pton(AF_INET, host.c_str(), &ignored) == 1 ||
           ::inet_pton(AF_INET6, host.c_str(), &ignored) == 1;
}

}  // namespace

std::string probe_tls(std::string_view uri, const TlsProbeFiles& files,
                      std::chrono::milliseconds timeout) {
    const HostPort address = split_uri(uri);
    std::unique_ptr<SSL_CTX, decltype(&::SSL_CTX_free)> context(
        ::SSL_CTX_new(::TLS_client_method()), ::SSL_CTX_free);
    if (!context) return "";
    ::ERR_clear_error();
    const int loaded = files.ca_file.empty() ? ::SSL_CTX_set_default_verify_paths(context.get())
                                             : ::SSL_CTX_load_verify_locations(
                                                   context.get(), files.ca_file.c_str(), nullptr);
    if (loaded != 1) return "cannot load the CA file '" + files.ca_file + "': " + openssl_error();
    if (!files.cert_file.empty() &&
        (::SSL_CTX_use_certificate_chain_file(context.get(), files.cert_file.c_str()) != 1 ||
         ::SSL_CTX_use_PrivateKey_file(context.get(), files.key_file.c_str(), SSL_FILETYPE_PEM) !=
             1))
        return "cannot load the client certificate or key: " + openssl_error();
    ::SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);

    const UniqueFd fd = connect_tcp(address, timeout);
    if (!fd) return "";
    std::unique_ptr<SSL, decltype(&::SSL_free)> ssl(::SSL_new(context.get()), ::SSL_free);
    std::string reason;
    if (ssl) {
        if (is_ip_address(address.host)) {
            ::X509_VERIFY_PARAM_set1_ip_asc(::SSL_get0_param(ssl.get()), address.host.c_str());
        } else {
            // SSL_set_tlsext_host_name() without its macro's C cast (SNI).
            ::SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                       const_cast<char*>(address.host.c_str()));
            ::SSL_set1_host(ssl.get(), address.host.c_str());
        }
        ::SSL_set_fd(ssl.get(), fd.get());
        if (::SSL_connect(ssl.get()) != 1) {
            const long verify = ::SSL_get_verify_result(ssl.get());
            reason = verify != X509_V_OK ? std::string("certificate verify failed: ") +
                                               ::X509_verify_cert_error_string(verify)
                                         : openssl_error();
        } else {
            // TLS 1.3: a broker that wants a client certificate says so only
            // after the handshake, in an alert on the first read.
            char byte = 0;
            if (::SSL_read(ssl.get(), &byte, 1) <= 0) {
                const std::string alert = openssl_error();
                if (alert.find("certificate required") != std::string::npos)
                    reason = "the broker requires a client certificate";
                else if (!alert.empty())
                    reason = alert;
            }
        }
        ::SSL_shutdown(ssl.get());
    }
    return reason;
}

}  // namespace packline::sync
