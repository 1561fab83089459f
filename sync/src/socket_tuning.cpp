#include "socket_tuning.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <string>

namespace packline::sync {

std::set<ino_t> tcp_socket_inodes() {
    std::set<ino_t> inodes;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
        struct stat status {};
        if (::stat(entry.path().c_str(), &status) == 0 && S_ISSOCK(status.st_mode))
            inodes.insert(status.st_ino);
    }
    return inodes;
}

int uri_port(std::string_view uri) {
    const auto colon = uri.rfind(':');
    const auto bracket = uri.rfind(']');
    int port = 0;
    if (colon != std::string_view::npos && colon > uri.find("://") + 2 &&
        (bracket == std::string_view::npos || colon > bracket))
        std::from_chars(uri.data() + colon + 1, uri.data() + uri.size(), port);
    if (port == 0) port = uri.starts_with("ssl://") ? 8883 : 1883;
    return port;
}

void disable_nagle(const std::set<ino_t>& existing, int port) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
        struct stat status {};
        if (::stat(entry.path().c_str(), &status) != 0 || !S_ISSOCK(status.st_mode) ||
            existing.contains(status.st_ino))
            continue;
        int fd = -1;
        const std::string name = entry.path().filename().string();
        std::from_chars(name.data(), name.data() + name.size(), fd);
        int type = 0;
        socklen_t length = sizeof(type);
        if (fd < 0 || ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 ||
            type != SOCK_STREAM)
            continue;
        sockaddr_storage peer{};
        socklen_t peer_length = sizeof(peer);
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) continue;
        int peer_port = 0;
        if (peer.ss_family == AF_INET)
            peer_port = ntohs(reinterpret_cast<const sockaddr_in*>(&peer)->sin_port);
        else if (peer.ss_family == AF_INET6)
            peer_port = ntohs(reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_port);
        if (peer_port != port) continue;
        const int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
}

}  // namespace packline::sync
