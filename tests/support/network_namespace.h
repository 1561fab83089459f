// A network of the test's own, for chaos tests: a network namespace for the
// program under test, joined to the test's namespace by a veth pair with
// link-local addresses (169.254.N.1/30 on the test's end, 169.254.N.2/30
// inside), and the faults a test lays on that link:
//
//   - random loss and a total blackout: nftables rules in the namespace's own
//     ruleset, on the hooks of its end of the veth (netdev ingress and
//     egress), so packets vanish on the wire: the TCP stacks on both sides
//     see no error, only silence, and retransmit or time out as they would
//     behind a bad cable (a rule on the inet output hook would instead fail
//     the sender's connect() at once with EPERM);
//   - the link going down and up (`ip link set`, the namespace's end).
//
// The constructor makes everything and the destructor removes it (deleting
// one end of a veth deletes both), also when the test failed. The host's own
// interfaces, routes and firewall are never touched: the only change outside
// the namespace is the veth end this class creates and its /30 route. A test
// binary killed before its destructors ran leaves its namespace behind; the
// next run removes those of processes that no longer exist.
//
//   NetworkNamespace network;
//   if (!network.ready()) GTEST_SKIP() << network.error();
//   Child station(network.command({binary("packline-stationd"), ...}), log);
//   network.drop_randomly(30);           // 30 % of the packets, each way
//   network.blackout();                  // every packet, each way
//   network.clear();                     // the link is good again
//   network.set_link(false);             // NO-CARRIER for both ends
//   network.run_inside([&] { ... });     // sockets made here are inside
//
// Needs root (CAP_NET_ADMIN for links and rules, CAP_SYS_ADMIN for setns),
// ip (iproute2) and nft (nftables).
//
// Thread-safety: the faults (drop_randomly, blackout, clear, set_link) from
// one thread at a time; run_inside() from any thread (it runs its work on a
// thread of its own and waits for it). Not copyable.
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace packline::testing {

struct ToolOutcome {
    int code = -1;       // exit code; 128 + signal; -1 when it could not run
    std::string output;  // stdout and stderr together
};

// Runs a program to completion with `input` on its standard input, and
// returns its exit code and output. Fork + exec only: the test process may
// have Paho's threads running, and a fork that does more than exec could
// deadlock on a lock one of them held.
inline ToolOutcome run_tool(const std::vector<std::string>& argv, const std::string& input = "") {
    ToolOutcome outcome;
    // Standard input is a socket, not a pipe, so that a tool that exits
    // without reading it costs the test an error, not a SIGPIPE
    // (send(MSG_NOSIGNAL)).
    int input_pair[2];
    int output_pipe[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input_pair) != 0) return outcome;
    if (::pipe2(output_pipe, O_CLOEXEC) != 0) {
        ::close(input_pair[0]);
        ::close(input_pair[1]);
        return outcome;
    }
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(input_pair[1], 0);
        ::dup2(output_pipe[1], 1);
        ::dup2(output_pipe[1], 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(input_pair[1]);
    ::close(output_pipe[1]);
    if (pid < 0) {
        ::close(input_pair[0]);
        ::close(output_pipe[0]);
        return outcome;
    }
    // A rule set is a few hundred bytes: far below the socket's buffer, so
    // writing it all before reading the output cannot deadlock.
    for (std::size_t sent = 0; sent < input.size();) {
        const ssize_t wrote =
            ::send(input_pair[0], input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
        if (wrote <= 0) break;
        sent += static_cast<std::size_t>(wrote);
    }
    ::close(input_pair[0]);
    char buffer[4096];
    for (ssize_t got; (got = ::read(output_pipe[0], buffer, sizeof(buffer))) > 0;)
        outcome.output.append(buffer, static_cast<std::size_t>(got));
    ::close(output_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    outcome.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return outcome;
}

class NetworkNamespace {
  public:
    // The reason this machine cannot make test networks (for GTEST_SKIP), if any.
    static std::optional<std::string> unavailable() {
        if (::geteuid() != 0) return "needs root (network namespaces, veth pairs, nftables)";
        if (ip_tool().empty()) return "ip (iproute2) not installed";
        if (nft_tool().empty()) return "nft not installed (Debian: nftables)";
        return std::nullopt;
    }

    NetworkNamespace() {
        if (auto missing = unavailable()) {
            error_ = *missing;
            return;
        }
        remove_leftovers();
        static int made = 0;
        const std::string id = std::to_string(::getpid()) + "-" + std::to_string(made++);
        name_ = "plchaos-" + id;
        // Interface names are at most 15 bytes (IFNAMSIZ - 1): "plc" + pid (7
        // digits at most) + "-" + number + "h"/"s".
        host_interface_ = "plc" + id + "h";
        inside_interface_ = "plc" + id + "s";
        const int subnet = free_subnet();
        if (subnet < 0) {
            error_ = "no free 169.254.N.0/30 subnet";
            return;
        }
        const std::string prefix = "169.254." + std::to_string(subnet) + ".";
        host_address_ = prefix + "1";
        inside_address_ = prefix + "2";
        if (!ip({"netns", "add", name_})) return;
        created_ = true;
        if (!ip({"link", "add", host_interface_, "type", "veth", "peer", "name", inside_interface_,
                 "netns", name_}) ||
            !ip({"addr", "add", host_address_ + "/30", "dev", host_interface_}) ||
            !ip({"link", "set", host_interface_, "up"}) ||
            !ip({"-n", name_, "addr", "add", inside_address_ + "/30", "dev", inside_interface_}) ||
            !ip({"-n", name_, "link", "set", inside_interface_, "up"}) ||
            !ip({"-n", name_, "link", "set", "lo", "up"}) || !nft(base_rules()))
            return;
        ready_ = true;
    }

    ~NetworkNamespace() {
        if (!created_) return;
        // Deleting one end deletes its peer, and with it the /30 route.
        run_tool({ip_tool(), "link", "del", host_interface_});
        run_tool({ip_tool(), "netns", "del", name_});
    }

    NetworkNamespace(const NetworkNamespace&) = delete;
    NetworkNamespace& operator=(const NetworkNamespace&) = delete;

    bool ready() const { return ready_; }
    const std::string& error() const { return error_; }
    const std::string& name() const { return name_; }
    // The test's end of the link (a server the program inside should reach
    // listens here) and the program's end.
    const std::string& host_address() const { return host_address_; }
    const std::string& inside_address() const { return inside_address_; }
    const std::string& inside_interface() const { return inside_interface_; }

    // `argv` run inside the namespace (`ip netns exec` execs it, so the
    // process id a caller gets is the program's own).
    std::vector<std::string> command(const std::vector<std::string>& argv) const {
        std::vector<std::string> full{ip_tool(), "netns", "exec", name_};
        full.insert(full.end(), argv.begin(), argv.end());
        return full;
    }

    // Drops `percent` of the packets at random in each direction.
    bool drop_randomly(int percent) {
        return replace_rules("numgen random mod 100 < " + std::to_string(percent) +
                             " counter drop");
    }
    // Drops every packet both ways, silently: no RST, no FIN, no ICMP; both
    // ends of an open TCP connection go on believing it is open.
    bool blackout() { return replace_rules("counter drop"); }
    // Lifts loss or blackout.
    bool clear() { return replace_rules(""); }

    // The namespace's end goes down (both ends lose carrier) or up again.
    bool set_link(bool up) {
        return ip({"-n", name_, "link", "set", inside_interface_, up ? "up" : "down"});
    }

    // Packets the rules dropped so far, both ways, all rules since the start.
    std::uint64_t dropped_packets() { return dropped_before_ + counted_now(); }

    // Runs `work` on a thread that has entered the namespace, and waits for
    // it: sockets it makes are inside (to reach 127.0.0.1 of the program in
    // there). Network namespaces are per thread, so the calling thread stays
    // where it is, and several threads may do this at once. False if the
    // thread could not enter (then `work` did not run).
    bool run_inside(const std::function<void()>& work) const {
        const std::string path = "/run/netns/" + name_;
        bool entered = false;
        std::thread worker([&] {
            const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            entered = fd >= 0 && ::setns(fd, CLONE_NEWNET) == 0;
            if (fd >= 0) ::close(fd);
            if (entered) work();
        });
        worker.join();
        return entered;
    }

  private:
    static std::string find_tool(std::initializer_list<const char*> candidates) {
        for (const char* candidate : candidates)
            if (::access(candidate, X_OK) == 0) return candidate;
        return "";
    }
    static std::string ip_tool() {
        return find_tool({"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"});
    }
    static std::string nft_tool() { return find_tool({"/usr/sbin/nft", "/sbin/nft"}); }

    bool ip(const std::vector<std::string>& args) {
        std::vector<std::string> argv{ip_tool()};
        argv.insert(argv.end(), args.begin(), args.end());
        const ToolOutcome outcome = run_tool(argv);
        if (outcome.code == 0) return true;
        error_ = "ip";
        for (const std::string& arg : args)
            error_ += " " + arg;
        error_ += ": " + outcome.output;
        return false;
    }

    bool nft(const std::string& rules) {
        const ToolOutcome outcome = run_tool(command({nft_tool(), "-f", "-"}), rules);
        if (outcome.code == 0) return true;
        error_ = "nft: " + outcome.output + " (rules: " + rules + ")";
        return false;
    }

    // A table of the namespace's own with one chain per direction, hooked to
    // its end of the veth: ingress sees what arrives from the test's side,
    // egress what leaves towards it, after the IP stack let it go.
    std::string base_rules() const {
        return "table netdev packline_chaos {\n"
               "  chain wire_in { type filter hook ingress device \"" +
               inside_interface_ +
               "\" priority 0; policy accept; }\n"
               "  chain wire_out { type filter hook egress device \"" +
               inside_interface_ + "\" priority 0; policy accept; }\n}\n";
    }

    // Both chains get `rule` (none when empty), in one nft transaction.
    bool replace_rules(const std::string& rule) {
        dropped_before_ += counted_now();
        std::string rules =
            "flush chain netdev packline_chaos wire_in\n"
            "flush chain netdev packline_chaos wire_out\n";
        if (!rule.empty())
            rules += "add rule netdev packline_chaos wire_in " + rule +
                     "\nadd rule netdev packline_chaos wire_out " + rule + "\n";
        return nft(rules);
    }

    // The sum of the chains' counters now.
    std::uint64_t counted_now() {
        const ToolOutcome listed =
            run_tool(command({nft_tool(), "list", "table", "netdev", "packline_chaos"}));
        std::uint64_t packets = 0;
        static const std::regex counter(R"(counter packets (\d+))");
        for (std::sregex_iterator match(listed.output.begin(), listed.output.end(), counter), end;
             match != end; ++match)
            packets += std::stoull((*match)[1].str());
        return packets;
    }

    // A /30 in 169.254.1.0-169.254.254.255 (RFC 3927 keeps the first and the
    // last /24 back) in whose /24 the host has no address and no route (a
    // cloud's metadata service lives at 169.254.169.254: never shadow it).
    static int free_subnet() {
        const std::string addresses =
            run_tool({ip_tool(), "-4", "-o", "addr", "show"}).output +
            run_tool({ip_tool(), "-4", "route", "show", "table", "all"}).output;
        const int start = static_cast<int>(::getpid() % 254);
        for (int step = 0; step < 254; ++step) {
            const int subnet = 1 + (start + step) % 254;
            if (addresses.find("169.254." + std::to_string(subnet) + ".") == std::string::npos)
                return subnet;
        }
        return -1;
    }

    // Namespaces (and their veth ends) of earlier test processes that died
    // before their destructors ran.
    static void remove_leftovers() {
        static const std::regex ours(R"(plchaos-(\d+)-(\d+))");
        const std::string listed = run_tool({ip_tool(), "netns", "list"}).output;
        for (std::sregex_iterator match(listed.begin(), listed.end(), ours), end; match != end;
             ++match) {
            const std::string pid = (*match)[1].str();
            if (pid == std::to_string(::getpid()) || std::filesystem::exists("/proc/" + pid))
                continue;
            run_tool({ip_tool(), "link", "del", "plc" + pid + "-" + (*match)[2].str() + "h"});
            run_tool({ip_tool(), "netns", "del", match->str()});
        }
    }

    std::string error_;
    std::string name_;
    std::string host_interface_;
    std::string inside_interface_;
    std::string host_address_;
    std::string inside_address_;
    std::uint64_t dropped_before_ = 0;
    bool created_ = false;
    bool ready_ = false;
};

}  // namespace packline::testing
