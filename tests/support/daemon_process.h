// A program under test with a pipe on its standard input and its standard
// output and error read back: packline-stationd as a person runs it by hand.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace packline::testing {

class Daemon {
  public:
    explicit Daemon(const std::vector<std::string>& argv) {
        int input[2];
        int output[2];
        if (::pipe(input) != 0 || ::pipe(output) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(input[0], 0);
            ::dup2(output[1], 1);
            ::dup2(output[1], 2);
            ::close(input[1]);
            ::close(output[0]);
            std::vector<char*> args;
            for (const std::string& arg : argv)
                args.push_back(const_cast<char*>(arg.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        ::close(input[0]);
        ::close(output[1]);
        to_ = input[1];
        from_ = output[0];
    }
    ~Daemon() {
        if (pid_ > 0 && !stopped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(to_);
        ::close(from_);
    }

    void type(const std::string& line) {
        const std::string text = line + "\n";
        ASSERT_EQ(::write(to_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }

    // Reads output until `needle` appears (after what earlier waits found);
    // false after `seconds`.
    bool wait_for(const std::string& needle, int seconds = 10) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (output_.find(needle, seen_) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            pollfd descriptor{from_, POLLIN, 0};
            if (::poll(&descriptor, 1, 100) <= 0) continue;
            char buffer[4096];
            const ssize_t got = ::read(from_, buffer, sizeof buffer);
            if (got <= 0) return output_.find(needle, seen_) != std::string::npos;
            output_.append(buffer, static_cast<std::size_t>(got));
        }
        seen_ = output_.find(needle, seen_) + needle.size();
        return true;
    }

    int terminate() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        stopped_ = true;
        char buffer[4096];
        ssize_t got = 0;
        while ((got = ::read(from_, buffer, sizeof buffer)) > 0)
            output_.append(buffer, static_cast<std::size_t>(got));
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    const std::string& output() const { return output_; }

  private:
    pid_t pid_ = -1;
    int to_ = -1;
    int from_ = -1;
    bool stopped_ = false;
    std::string output_;
    std::size_t seen_ = 0;
};

}  // namespace packline::testing
