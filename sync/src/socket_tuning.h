// TCP_NODELAY on the MQTT client's socket, which Paho does not offer.
#pragma once

#include <sys/types.h>

#include <set>
#include <string_view>

namespace packline::sync {

// Nagle's algorithm. Paho C 1.3 never sets TCP_NODELAY, so each small MQTT
// packet written while the previous one is unacknowledged waits for the
// peer's TCP ACK, which the peer delays by up to 40 ms (Linux) when it has
// nothing to send back. With QoS 1 publications, PUBACKs and hub acks all
// small, that stall hits every hop: the drain benchmark measured ~600
// hub-acknowledged rows/s with p50 ~90 ms on loopback, and ~8000/s with p50
// ~6 ms once the sockets had TCP_NODELAY. Paho offers no socket hook, so
// after each connection the client finds its socket itself: a TCP socket
// that did not exist before the attempt, connected to the broker's port.
// Linux only (/proc/self/fd), like the rest of Packline; at worst it sets
// TCP_NODELAY on another socket of this process talking to the same port,
// which is harmless.
std::set<ino_t> tcp_socket_inodes();
// The port of a broker address ("tcp://host:1883"; 1883 or 8883 when none).
int uri_port(std::string_view uri);
// Sets TCP_NODELAY on this process's TCP sockets to `port` that are not in
// `existing`.
void disable_nagle(const std::set<ino_t>& existing, int port);

}  // namespace packline::sync
