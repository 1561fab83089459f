// A private mosquitto for tests (test-harnesses.md §6): one listener on a
// free loopback port, configuration, passwords, ACL and certificates in a
// temp dir, removed by the destructor. Every test that needs a broker starts
// its own.
//
//   MosquittoBroker broker;                       // anonymous, plain TCP
//   ASSERT_TRUE(broker.running()) << broker.error();
//   settings.brokers = {broker.uri()};            // "tcp://127.0.0.1:<port>"
//   broker.stop(); ... broker.start();            // same port, state lost
//
//   MosquittoBroker::Options options;
//   options.users = {{"bench-1", "pw1"}};         // password file, no anonymous
//   options.tls = true;                           // ssl://localhost:<port>, certs in certs_dir()
//   options.listen_addresses = {"169.254.7.1"};   // also there: uri_at("169.254.7.1")
//
// Pitfalls it handles: as root, mosquitto drops to user mosquitto, which
// would also clear the parent-death signal that kills the broker of a test
// that crashed, so it is told "user root" (and every file it reads is
// world-readable all the same); the log goes to stderr, into a file the test
// opens (mosquitto buffers stdout when it is a file); persistence is off, so
// a restart loses sessions, subscriptions and queued messages like a broker
// whose disk died; readiness is a TCP connect (about 20 ms). Processes are
// started with fork + exec only (Paho's threads make a fork without exec
// deadlock).
//
// Thread-safety: one test thread. Not copyable.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "loopback.h"

namespace packline::testing {

class MosquittoBroker {
  public:
    static constexpr const char* kMosquitto = "/usr/sbin/mosquitto";
    static constexpr const char* kMosquittoPasswd = "/usr/bin/mosquitto_passwd";
    static constexpr const char* kOpenssl = "/usr/bin/openssl";

    struct Options {
        // More IPv4 addresses to listen on, at port() too (a test's own end
        // of a veth pair, for a client inside a network namespace): uri_at().
        std::vector<std::string> listen_addresses;
        // Non-empty: a password file with these users, and no anonymous access.
        std::vector<std::pair<std::string, std::string>> users;
        // Non-empty: the ACL file's text (mosquitto's acl_file syntax).
        std::string acl;
        // A TLS listener with a certificate for localhost and 127.0.0.1 signed
        // by certs_dir()/ca.crt; certs_dir()/other-ca.crt is a CA that signed
        // nothing (for "wrong CA" tests), client.crt/client.key a client
        // certificate signed by ca.crt.
        bool tls = false;
        // TLS: the broker demands a client certificate signed by ca.crt.
        bool require_client_certificate = false;
        // Logs every packet (log_type debug): for chasing a failing test.
        bool debug_log = false;
        // More configuration lines (mosquitto.conf syntax), added as they are.
        std::string settings;
    };

    // The reason the harness cannot run here (for GTEST_SKIP), if any.
    static std::optional<std::string> missing_tool() {
        for (const char* tool : {kMosquitto, kMosquittoPasswd, kOpenssl})
            if (::access(tool, X_OK) != 0)
                return std::string(tool) + " not installed (Debian: mosquitto openssl)";
        return std::nullopt;
    }

    MosquittoBroker() : MosquittoBroker(Options{}) {}

    explicit MosquittoBroker(Options options) : options_(std::move(options)) {
        if (auto missing = missing_tool()) {
            error_ = *missing;
            return;
        }
        char pattern[] = "/tmp/packline-mosquitto-XXXXXX";
        if (::mkdtemp(pattern) == nullptr) {
            error_ = "mkdtemp failed";
            return;
        }
        root_ = pattern;
        std::filesystem::permissions(root_, static_cast<std::filesystem::perms>(0755));
        port_ = free_port();
        if (port_ == 0) {
            error_ = "no free loopback port";
            return;
        }
        if (!write_configuration()) return;
        start();
    }

    ~MosquittoBroker() {
        stop();
        std::error_code ignored;
        if (!root_.empty()) std::filesystem::remove_all(root_, ignored);
    }

    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    bool running() const { return pid_ > 0; }
    const std::string& error() const { return error_; }
    std::uint16_t port() const { return port_; }
    // "tcp://127.0.0.1:<port>", or "ssl://localhost:<port>" with TLS.
    std::string uri() const {
        return options_.tls ? "ssl://localhost:" + std::to_string(port_)
                            : "tcp://127.0.0.1:" + std::to_string(port_);
    }
    // Plain TCP at one of Options::listen_addresses: "tcp://<address>:<port>".
    std::string uri_at(const std::string& address) const {
        return "tcp://" + address + ":" + std::to_string(port_);
    }
    std::filesystem::path certs_dir() const { return root_ / "certs"; }
    const std::filesystem::path& root() const { return root_; }

    // (Re)starts mosquitto on the same port; waits until it accepts
    // connections (at most 10 s).
    bool start() {
        if (pid_ > 0) return true;
        if (root_.empty()) return false;
        pid_ =
            spawn({kMosquitto, "-c", (root_ / "mosquitto.conf").string()}, root_ / "mosquitto.log");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (accepts_connections()) return true;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                error_ = "mosquitto exited at start: " + log_tail();
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        error_ = "mosquitto did not listen on port " + std::to_string(port_) +
                 " within 10 s: " + log_tail();
        stop();
        return false;
    }

    // SIGTERM (clients see their connection close), SIGKILL after 5 s.
    void stop() { end(SIGTERM); }
    // SIGKILL: the broker dies without a word.
    void kill() { end(SIGKILL); }
    bool restart() {
        stop();
        return start();
    }

    // The last part of mosquitto's log, for failure messages.
    std::string log_tail(std::size_t bytes = 3000) const {
        std::ifstream in(root_ / "mosquitto.log", std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        const std::string all = text.str();
        return all.size() > bytes ? all.substr(all.size() - bytes) : all;
    }

  private:
    void end(int signal_number) {
        if (pid_ <= 0) return;
        ::kill(pid_, signal_number);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) != pid_) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        pid_ = -1;
    }

    static std::uint16_t free_port() { return free_loopback_port(); }

    bool accepts_connections() const { return loopback_accepts(port_); }

    static void write_file(const std::filesystem::path& path, const std::string& text) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
        std::filesystem::permissions(path, static_cast<std::filesystem::perms>(0644));
    }

    bool write_configuration() {
        const std::string dir = root_.string();
        std::string conf =
            std::string(::geteuid() == 0 ? "user root\n" : "") +
            "persistence false\n"
            "log_dest stderr\n"
            "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n" +
            std::string(options_.debug_log ? "log_type debug\n" : "") +
            "connection_messages true\n"
            // As docs/mqtt/README.md recommends for production: without it
            // mosquitto's small QoS 1 packets wait for delayed ACKs (Nagle),
            // some 20-40 ms each on loopback.
            "set_tcp_nodelay true\n"
            "listener " +
            std::to_string(port_) + " 127.0.0.1\n";
        for (const std::string& address : options_.listen_addresses)
            conf += "listener " + std::to_string(port_) + " " + address + "\n";
        if (options_.users.empty()) {
            conf += "allow_anonymous true\n";
        } else {
            const std::string file = dir + "/passwd";
            write_file(file, "");
            for (const auto& [user, password] : options_.users)
                if (run({kMosquittoPasswd, "-b", file, user, password}) != 0) {
                    error_ = "mosquitto_passwd failed for " + user;
                    return false;
                }
            std::filesystem::permissions(file, static_cast<std::filesystem::perms>(0644));
            conf += "allow_anonymous false\npassword_file " + file + "\n";
        }
        conf += options_.settings;
        if (!conf.empty() && conf.back() != '\n') conf += '\n';
        if (!options_.acl.empty()) {
            write_file(root_ / "acl", options_.acl);
            conf += "acl_file " + dir + "/acl\n";
        }
        if (options_.tls) {
            if (!make_certificates()) return false;
            const std::string certs = certs_dir().string();
            conf += "cafile " + certs + "/ca.crt\ncertfile " + certs + "/server.crt\nkeyfile " +
                    certs + "/server.key\n";
            if (options_.require_client_certificate) conf += "require_certificate true\n";
        }
        write_file(root_ / "mosquitto.conf", conf);
        return true;
    }

    // A test CA, a server certificate for localhost/127.0.0.1, a client
    // certificate, and an unrelated CA. About 0.5 s (RSA 2048 key generation).
    bool make_certificates() {
        const std::filesystem::path certs = certs_dir();
        std::filesystem::create_directories(certs);
        std::filesystem::permissions(certs, static_cast<std::filesystem::perms>(0755));
        const std::string c = certs.string();
        write_file(certs / "server.ext",
                   "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                   "extendedKeyUsage=serverAuth\n");
        write_file(certs / "client.ext", "extendedKeyUsage=clientAuth\n");
        const std::vector<std::vector<std::string>> steps = {
            {kOpenssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout",
             c + "/ca.key", "-out", c + "/ca.crt", "-subj", "/CN=Packline Test CA"},
            {kOpenssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout",
             c + "/other-ca.key", "-out", c + "/other-ca.crt", "-subj", "/CN=Some Other CA"},
            {kOpenssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", c + "/server.key", "-out",
             c + "/server.csr", "-subj", "/CN=localhost"},
            {kOpenssl, "x509", "-req", "-in", c + "/server.csr", "-CA", c + "/ca.crt", "-CAkey",
             c + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", c + "/server.ext", "-out",
             c + "/server.crt"},
            {kOpenssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", c + "/client.key", "-out",
             c + "/client.csr", "-subj", "/CN=packline-test-client"},
            {kOpenssl, "x509", "-req", "-in", c + "/client.csr", "-CA", c + "/ca.crt", "-CAkey",
             c + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", c + "/client.ext", "-out",
             c + "/client.crt"},
        };
        for (const auto& step : steps)
            if (run(step) != 0) {
                error_ = "openssl failed (" + step[1] + "): see " + (root_ / "tools.log").string();
                return false;
            }
        for (const auto& entry : std::filesystem::directory_iterator(certs))
            std::filesystem::permissions(entry.path(), static_cast<std::filesystem::perms>(0644));
        return true;
    }

    // Runs a tool to completion; its output goes to tools.log.
    int run(const std::vector<std::string>& argv) const {
        const pid_t pid = spawn(argv, root_ / "tools.log");
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    }

    static pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& output) {
        std::vector<char*> args;
        for (const std::string& arg : argv)
            args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        const pid_t pid = ::fork();
        if (pid == 0) {
            // Only async-signal-safe calls here: Paho's threads may be running.
            // A test that crashes takes its broker with it (the signal comes
            // when the forking thread ends: the test thread).
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
            const int null_fd = ::open("/dev/null", O_RDONLY);
            if (null_fd >= 0) ::dup2(null_fd, 0);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        return pid;
    }

    Options options_;
    std::filesystem::path root_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    std::string error_;
};

}  // namespace packline::testing
