// Turns "seen in this frame" into "scanned": a label held in front of the
// camera is decoded in every frame, but the packer scanned it once.
//
// A scan string is let through when it has not been seen for `window`; every
// sighting (let through or not) restarts its window. So a label that stays in
// view gives one scan however long it stays, and the same label gives a new
// scan once it has been out of view for the window (a missed frame or two
// while it is held does not count as leaving).
//
// Thread-bound: used by one thread (the camera's capture thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace packline::drivers {

class RepeatFilter {
  public:
    explicit RepeatFilter(std::chrono::milliseconds window) : window_(window) {}

    // The scans of one frame taken at `now_ms` -> the ones to post, in order.
    // Duplicates within the frame count once.
    std::vector<std::string> admit(const std::vector<std::string>& scans, std::int64_t now_ms);

    void reset() { last_seen_ms_.clear(); }

  private:
    std::chrono::milliseconds window_;
    std::map<std::string, std::int64_t> last_seen_ms_;
};

}  // namespace packline::drivers
