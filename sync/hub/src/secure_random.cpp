#include "secure_random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "packline/hub/hub_errors.h"

namespace packline::hub {

Status fill_random(std::span<std::uint8_t> bytes) {
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        // Requests up to 256 bytes are never cut short once the pool is
        // seeded; a signal can still interrupt the wait for the first seeding.
        const ssize_t got = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return Error{errors::kAuthRandom, std::string("getrandom: ") + std::strerror(errno)};
        }
        filled += static_cast<std::size_t>(got);
    }
    return {};
}

}  // namespace packline::hub
