// UniqueFd: one owner closes the descriptor, whatever path it leaves by.
#include "packline/unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>

namespace packline {
namespace {

bool is_open(int fd) {
    return ::fcntl(fd, F_GETFD) != -1;
}

TEST(UniqueFd, ClosesWhenItsOwnerGoes) {
    int raw = -1;
    {
        UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        ASSERT_TRUE(fd.valid());
        raw = fd.get();
        EXPECT_TRUE(is_open(raw));
    }
    EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, AMoveHandsOwnershipOverAndAResetClosesTheOldOne) {
    UniqueFd first(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int raw = first.get();
    UniqueFd second = std::move(first);
    EXPECT_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): the point of the test
    EXPECT_EQ(second.get(), raw);
    second.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    EXPECT_FALSE(is_open(raw));
    const int released = second.release();
    EXPECT_FALSE(second.valid());
    EXPECT_TRUE(is_open(released));
    ::close(released);
}

}  // namespace
}  // namespace packline
