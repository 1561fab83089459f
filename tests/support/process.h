// Running the real programs from tests: spawn, wait, kill, capture output.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace packline::testing {

// An integer from the environment (a test's scale), or `fallback`.
inline int env_int(const char* name, int fallback) {
    const char* text = std::getenv(name);
    return text != nullptr && *text != '\0' ? std::atoi(text) : fallback;
}

inline std::string binary(const std::string& name) {
    return std::string(PACKLINE_BINARY_DIR) + "/bin/" + name;
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A child process with stdout and stderr sent to files. A file size limit
// (RLIMIT_FSIZE, with SIGXFSZ ignored) makes every write past it fail with
// EFBIG: a full disk without a full disk, and without mounting anything.
class Child {
  public:
    Child(const std::vector<std::string>& argv, const std::filesystem::path& out_file,
          std::uint64_t file_size_limit = 0) {
        pid_ = ::fork();
        if (pid_ == 0) {
            if (file_size_limit > 0) {
                const struct rlimit limit {
                    static_cast<rlim_t>(file_size_limit), static_cast<rlim_t>(file_size_limit)
                };
                ::setrlimit(RLIMIT_FSIZE, &limit);
                ::signal(SIGXFSZ, SIG_IGN);
            }
            const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            const int null_fd = ::open("/dev/null", O_RDONLY);
            ::dup2(null_fd, 0);
            std::vector<char*> args;
            for (const std::string& arg : argv)
                args.push_back(const_cast<char*>(arg.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ > 0 && !waited_) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }

    // Exit code, or 128 + signal.
    int wait() {
        int status = 0;
        ::waitpid(pid_, &status, 0);
        waited_ = true;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
    }

    // True if the process has already ended (and reaps it).
    bool finished(int& code) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
        waited_ = true;
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
    }

    void kill_hard() { ::kill(pid_, SIGKILL); }
    pid_t pid() const { return pid_; }
    // Sends a signal (SIGTERM, SIGINT: a clean stop).
    void send(int signal_number) { ::kill(pid_, signal_number); }

  private:
    pid_t pid_ = -1;
    bool waited_ = false;
};

inline int run(const std::vector<std::string>& argv, const std::filesystem::path& out_file,
               std::uint64_t file_size_limit = 0) {
    Child child(argv, out_file, file_size_limit);
    return child.wait();
}

}  // namespace packline::testing
