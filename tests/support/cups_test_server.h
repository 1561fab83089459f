// A private cupsd for tests (test-harnesses.md §4, devices.md §4.4): started
// on a free loopback port with its whole state in a temp dir, stopped and
// removed by the destructor. Queues print into capture backends, so a test
// can read the exact bytes a job delivered; other backends fail on purpose.
//
//   CupsTestServer cups;
//   ASSERT_TRUE(cups.running()) << cups.error();
//   cups.add_capture_queue("zebra");
//   options.server = cups.address();           // or cups.export_server() (CUPS_SERVER)
//   ... cups.wait_for_capture("zebra", job_id) -> the bytes
//
// Pitfalls it handles: relative paths are refused by cupsd; `lpstat -r` exits
// 0 even when no scheduler runs (readiness = a TCP connect); a failing backend
// holds the job unless the queue's error policy says otherwise; `file:` with a
// raw queue writes nothing (hence the capture backend).
//
// Thread-safety: one test thread. Not copyable.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
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
#include <vector>

#include "loopback.h"

namespace packline::testing {

class CupsTestServer {
  public:
    static constexpr const char* kCupsd = "/usr/sbin/cupsd";
    static constexpr const char* kLpadmin = "/usr/sbin/lpadmin";
    static constexpr const char* kCupsEnable = "/usr/sbin/cupsenable";
    static constexpr const char* kCupsDisable = "/usr/sbin/cupsdisable";
    static constexpr const char* kCupsReject = "/usr/sbin/cupsreject";
    static constexpr const char* kCupsAccept = "/usr/sbin/cupsaccept";

    // The reason the harness cannot run here (for GTEST_SKIP), if any.
    static std::optional<std::string> missing_tool() {
        for (const char* tool :
             {kCupsd, kLpadmin, kCupsEnable, kCupsDisable, kCupsReject, kCupsAccept})
            if (::access(tool, X_OK) != 0)
                return std::string(tool) + " not installed (Debian: cups-daemon cups-client)";
        return std::nullopt;
    }

    CupsTestServer() {
        char pattern[] = "/tmp/packline-cups-XXXXXX";
        if (::mkdtemp(pattern) == nullptr) {
            error_ = "mkdtemp failed";
            return;
        }
        root_ = pattern;
        // cupsd runs filters as lp: they must be able to reach bin/filter.
        std::filesystem::permissions(root_, static_cast<std::filesystem::perms>(0755));
        port_ = free_port();
        if (port_ == 0) {
            error_ = "no free loopback port";
            return;
        }
        write_configuration();
        start();
    }

    ~CupsTestServer() {
        stop();
        std::error_code ignored;
        std::filesystem::remove_all(root_, ignored);
    }

    CupsTestServer(const CupsTestServer&) = delete;
    CupsTestServer& operator=(const CupsTestServer&) = delete;

    bool running() const { return pid_ > 0; }
    const std::string& error() const { return error_; }
    // For CupsPrinterOptions::server, cupsSetServer() or CUPS_SERVER.
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    const std::filesystem::path& root() const { return root_; }
    void export_server() const { ::setenv("CUPS_SERVER", address().c_str(), 1); }

    // (Re)starts cupsd on the same port and state; waits until it accepts
    // connections (at most 10 s).
    bool start() {
        if (pid_ > 0) return true;
        const std::string conf = (root_ / "etc/cupsd.conf").string();
        const std::string files = (root_ / "etc/cups-files.conf").string();
        pid_ = spawn({kCupsd, "-f", "-c", conf, "-s", files}, root_ / "log/cupsd.out");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (accepts_connections()) return true;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                error_ = "cupsd exited at start: " + log_tail();
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        error_ = "cupsd did not listen on " + address() + " within 10 s: " + log_tail();
        stop();
        return false;
    }

    // SIGTERM (cupsd saves its state), SIGKILL after 5 s.
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) != pid_) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        pid_ = -1;
    }

    // A raw queue whose jobs land in capture_dir(queue)/job-<id>.bin.
    // `options` are extra lpadmin arguments ("-o", "printer-error-policy=abort-job").
    bool add_capture_queue(const std::string& queue, std::vector<std::string> options = {}) {
        std::filesystem::create_directories(capture_dir(queue));
        return add_queue(queue, "capture:" + capture_dir(queue).string(), {"-m", "raw"}, options);
    }

    // A raw queue whose backend reports `STATE: +<state_keyword>` and
    // `ERROR: <message>` and exits 1 (CUPS_BACKEND_FAILED), like a label
    // printer out of labels. The error policy decides what cupsd does then.
    bool add_failing_queue(const std::string& queue, const std::string& state_keyword,
                           const std::string& message, std::vector<std::string> options = {}) {
        const std::string scheme = "fail" + std::to_string(++backends_);
        write_file(root_ / "bin/backend" / scheme,
                   "#!/bin/sh\n"
                   "if [ $# -eq 0 ]; then echo 'direct " +
                       scheme +
                       " \"Unknown\" \"Failing test backend\"'; exit 0; fi\n"
                       "cat > /dev/null\n"
                       "echo 'STATE: +" +
                       state_keyword +
                       "' >&2\n"
                       "echo 'ERROR: " +
                       message +
                       "' >&2\n"
                       "exit 1\n",
                   0700);
        return add_queue(queue, scheme + ":/" + queue, {"-m", "raw"}, options);
    }

    // A raw queue whose backend takes the job and then never finishes (a
    // printer that stopped answering mid-job). `exec` lets cupsd's SIGTERM on
    // cancel or shutdown end the sleep itself, so nothing outlives the test.
    bool add_stalled_queue(const std::string& queue) {
        const std::string scheme = "stall" + std::to_string(++backends_);
        write_file(root_ / "bin/backend" / scheme,
                   "#!/bin/sh\n"
                   "if [ $# -eq 0 ]; then echo 'direct " +
                       scheme +
                       " \"Unknown\" \"Stalled test backend\"'; exit 0; fi\n"
                       "exec sleep 120\n",
                   0700);
        return add_queue(queue, scheme + ":/" + queue, {"-m", "raw"}, {});
    }

    // A driver queue (a PPD like a Dymo/Brother one: PDF and PNG go through a
    // filter to "raster") printing into the capture backend. The filter is a
    // stand-in: it prefixes "FAKE-RASTER <type>\n" to the document, because
    // no real raster filters are installed in the test environment.
    bool add_driver_queue(const std::string& queue, std::vector<std::string> options = {}) {
        std::filesystem::create_directories(capture_dir(queue));
        const std::filesystem::path ppd = root_ / "label.ppd";
        write_file(ppd, ppd_text(), 0644);
        return add_queue(queue, "capture:" + capture_dir(queue).string(), {"-P", ppd.string()},
                         options);
    }

    bool remove_queue(const std::string& queue) { return lpadmin({"-x", queue}); }
    bool set_default(const std::string& queue) { return lpadmin({"-d", queue}); }
    // cupsdisable: the printer stops ("paused"); cupsenable resumes it.
    bool disable(const std::string& queue) {
        return run({kCupsDisable, "-h", address(), queue}) == 0;
    }
    bool enable(const std::string& queue) {
        return run({kCupsEnable, "-h", address(), queue}) == 0;
    }

    // cupsreject: the queue refuses new jobs (printer-is-accepting-jobs false).
    bool reject(const std::string& queue) {
        return run({kCupsReject, "-h", address(), queue}) == 0;
    }
    bool accept(const std::string& queue) {
        return run({kCupsAccept, "-h", address(), queue}) == 0;
    }

    std::filesystem::path capture_dir(const std::string& queue) const {
        return root_ / "out" / queue;
    }

    // The bytes job `job_id` delivered to a capture queue, once complete.
    std::optional<std::string> wait_for_capture(
        const std::string& queue, const std::string& job_id,
        std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
        const std::filesystem::path file = capture_dir(queue) / ("job-" + job_id + ".bin");
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (std::filesystem::exists(file)) {
                std::ifstream in(file, std::ios::binary);
                std::ostringstream bytes;
                bytes << in.rdbuf();
                return bytes.str();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return std::nullopt;
    }

    // The last lines of cupsd's error_log, for failure messages.
    std::string log_tail(std::size_t bytes = 2000) const {
        std::ifstream in(root_ / "log/error_log", std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        const std::string all = text.str();
        return all.size() > bytes ? all.substr(all.size() - bytes) : all;
    }

  private:
    static std::uint16_t free_port() { return free_loopback_port(); }

    bool accepts_connections() const { return loopback_accepts(port_); }

    static void write_file(const std::filesystem::path& path, const std::string& text,
                           std::filesystem::perms mode) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
        std::filesystem::permissions(path, mode);
    }
    static void write_file(const std::filesystem::path& path, const std::string& text, int mode) {
        write_file(path, text, static_cast<std::filesystem::perms>(mode));
    }

    void write_configuration() {
        for (const char* dir :
             {"etc/ppd", "spool/tmp", "cache", "state", "log", "out", "bin/backend", "bin/filter"})
            std::filesystem::create_directories(root_ / dir);
        for (const char* dir : {"daemon", "notifier", "cgi-bin", "monitor", "driver"}) {
            const std::filesystem::path system = std::filesystem::path("/usr/lib/cups") / dir;
            if (std::filesystem::exists(system))
                std::filesystem::create_directory_symlink(system, root_ / "bin" / dir);
        }
        const std::string r = root_.string();
        std::string files = "ServerRoot " + r + "/etc\nServerBin " + r +
                            "/bin\nDataDir /usr/share/cups\nRequestRoot " + r + "/spool\nTempDir " +
                            r + "/spool/tmp\nCacheDir " + r + "/cache\nStateDir " + r +
                            "/state\nAccessLog " + r + "/log/access_log\nErrorLog " + r +
                            "/log/error_log\nPageLog " + r + "/log/page_log\n";
        // As root cupsd drops to lp for filters; as another user it runs all
        // as that user (test-harnesses.md §4: root is not needed).
        if (::geteuid() == 0) files += "User lp\nGroup lp\nSystemGroup root\n";
        write_file(root_ / "etc/cups-files.conf", files, 0644);
        const std::string allow = "  Order allow,deny\n  Allow from 127.0.0.1\n";
        write_file(root_ / "etc/cupsd.conf",
                   "Listen 127.0.0.1:" + std::to_string(port_) +
                       "\nLogLevel debug\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
                       "PreserveJobHistory Yes\n"
                       "<Location />\n" +
                       allow + "</Location>\n<Location /admin>\n" + allow +
                       "</Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n"
                       "  </Limit>\n</Policy>\n",
                   0644);
        // Mode 0700: a root cupsd runs it as root, so it may write into out/.
        write_file(root_ / "bin/backend/capture",
                   "#!/bin/sh\n"
                   "if [ $# -eq 0 ]; then echo 'direct capture \"Unknown\" \"Capture to "
                   "files\"'; exit 0; fi\n"
                   "dir=\"${DEVICE_URI#capture:}\"\n"
                   "tmp=\"$dir/.job-$1.part\"\n"
                   "if [ $# -ge 6 ]; then cat \"$6\" > \"$tmp\"; else cat > \"$tmp\"; fi\n"
                   "mv \"$tmp\" \"$dir/job-$1.bin\"\n"
                   "echo \"INFO: captured job $1\" >&2\n"
                   "exit 0\n",
                   0700);
        write_file(root_ / "bin/filter/packline-fake-raster",
                   "#!/bin/sh\n"
                   "printf 'FAKE-RASTER %s\\n' \"$CONTENT_TYPE\"\n"
                   "if [ $# -ge 6 ]; then cat \"$6\"; else cat; fi\n",
                   0755);
    }

    static std::string ppd_text() {
        return "*PPD-Adobe: \"4.3\"\n*FormatVersion: \"4.3\"\n*FileVersion: \"1.0\"\n"
               "*LanguageVersion: English\n*LanguageEncoding: ISOLatin1\n"
               "*PCFileName: \"PACKLINE.PPD\"\n*Manufacturer: \"Packline\"\n"
               "*Product: \"(Test LabelWriter)\"\n*ModelName: \"Packline Test LabelWriter 4x6\"\n"
               "*ShortNickName: \"Packline Test LabelWriter 4x6\"\n"
               "*NickName: \"Packline Test LabelWriter 4x6\"\n*PSVersion: \"(3010.000) 0\"\n"
               "*LanguageLevel: \"3\"\n*ColorDevice: False\n*DefaultColorSpace: Gray\n"
               "*FileSystem: False\n*Throughput: \"1\"\n*LandscapeOrientation: Plus90\n"
               "*TTRasterizer: Type42\n*cupsVersion: 2.4\n"
               "*cupsFilter2: \"application/pdf application/vnd.cups-raster 0 "
               "packline-fake-raster\"\n"
               "*cupsFilter2: \"image/png application/vnd.cups-raster 0 packline-fake-raster\"\n"
               "*OpenUI *PageSize/Media Size: PickOne\n*OrderDependency: 10 AnySetup *PageSize\n"
               "*DefaultPageSize: w288h432\n"
               "*PageSize w288h432/4x6: \"<</PageSize[288 432]>>setpagedevice\"\n"
               "*CloseUI: *PageSize\n*OpenUI *PageRegion: PickOne\n"
               "*OrderDependency: 10 AnySetup *PageRegion\n*DefaultPageRegion: w288h432\n"
               "*PageRegion w288h432/4x6: \"<</PageSize[288 432]>>setpagedevice\"\n"
               "*CloseUI: *PageRegion\n*DefaultImageableArea: w288h432\n"
               "*ImageableArea w288h432/4x6: \"0 0 288 432\"\n"
               "*DefaultPaperDimension: w288h432\n*PaperDimension w288h432/4x6: \"288 432\"\n";
    }

    bool add_queue(const std::string& queue, const std::string& uri,
                   const std::vector<std::string>& model, const std::vector<std::string>& options) {
        std::vector<std::string> args = {"-p", queue, "-E", "-v", uri};
        args.insert(args.end(), model.begin(), model.end());
        args.insert(args.end(), options.begin(), options.end());
        return lpadmin(args);
    }

    bool lpadmin(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {kLpadmin, "-h", address()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv) == 0;
    }

    // Runs a tool to completion; its output goes to log/tools.out.
    int run(const std::vector<std::string>& argv) const {
        const pid_t pid = spawn(argv, root_ / "log/tools.out");
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
            // Only async-signal-safe calls here: the test may run threads.
            const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        return pid;
    }

    std::filesystem::path root_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    int backends_ = 0;
    std::string error_;
};

}  // namespace packline::testing
