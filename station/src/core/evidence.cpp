#include "evidence.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "packline/station/messages.h"
#include "packline/station/station_errors.h"
#include "packline/station/store.h"

namespace packline::station {
namespace fs = std::filesystem;

namespace {

std::string utc_date(std::int64_t at_ms) {
    const std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return text;
}

std::string file_name_part(std::string_view text) {
    constexpr std::size_t kMaxLength = 64;
    std::string safe;
    for (char c : text.substr(0, kMaxLength)) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        safe += plain ? c : '_';
    }
    return safe.empty() ? "order" : safe;
}

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

fs::path resolved(const fs::path& path, std::error_code& error) {
    fs::path absolute = fs::absolute(path, error);
    if (error) return {};
    fs::path result = fs::weakly_canonical(absolute, error);
    if (error) return {};
    // "dir/" resolves with an empty last element; compare without it.
    if (!result.has_filename() && result.has_parent_path()) result = result.parent_path();
    return result;
}

}  // namespace

fs::path evidence_photo_path(const std::string& dir, const Parcel& parcel, std::int64_t at_ms) {
    std::error_code error;
    fs::path base = fs::absolute(dir, error);
    if (error) base = dir;
    return base / utc_date(at_ms) /
           (file_name_part(parcel.order_id) + "-p" + std::to_string(parcel.sequence) + "-" +
            std::to_string(parcel.id) + ".jpg");
}

Result<EvidencePhoto> take_evidence_photo(hardware::Camera& camera,
                                          const EvidenceSettings& settings, const Parcel& parcel,
                                          std::int64_t at_ms) {
    const fs::path path = evidence_photo_path(settings.dir, parcel, at_ms);
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error)
        return Error(errors::kEvidenceIo, "cannot create the evidence directory " +
                                              path.parent_path().string() + ": " + error.message());
    auto photo = camera.take_photo(path.string());
    if (!photo.ok()) {
        // A write that failed half-way (full disk) leaves no partial JPEG behind.
        fs::remove(path, error);
        return photo.error();
    }
    const std::string written = photo->path.empty() ? path.string() : photo->path;
    if (!is_sha256_hex(photo->sha256)) {
        fs::remove(path, error);
        return Error(errors::kEvidenceBadPhoto, "the camera gave no SHA-256 for " + written);
    }
    if (!fs::is_regular_file(written, error))
        return Error(errors::kEvidenceBadPhoto,
                     "the camera reported " + written + " but no file is there");
    return EvidencePhoto{written, photo->sha256, at_ms, 0};
}

ConfirmationPhoto photograph_parcel(hardware::Camera* camera,
                                    const std::optional<std::string>& camera_unusable,
                                    const EvidenceSettings& settings, const Parcel& parcel,
                                    std::int64_t at_ms) {
    ConfirmationPhoto result;
    if (camera == nullptr || !settings.photo) return result;
    if (camera_unusable) {
        result.failure = Error(errors::kCameraUnavailable, *camera_unusable);
        return result;
    }
    auto photo = take_evidence_photo(*camera, settings, parcel, at_ms);
    if (photo.ok())
        result.photo = std::move(photo.value());
    else
        result.failure = photo.error();
    return result;
}

void discard_evidence_photo(const EvidencePhoto& photo) {
    std::error_code ignored;
    fs::remove(photo.path, ignored);
}

bool inside_directory(const fs::path& directory, const fs::path& file) {
    std::error_code error;
    const fs::path base = resolved(directory, error);
    if (error || base.empty()) return false;
    const fs::path target = resolved(file, error);
    if (error || target.empty()) return false;
    auto [base_end, target_rest] =
        std::mismatch(base.begin(), base.end(), target.begin(), target.end());
    return base_end == base.end() && target_rest != target.end();
}

PruneReport prune_evidence_batch(Store& store, const EvidenceSettings& settings,
                                 const std::string& station, std::int64_t now_ms,
                                 std::int64_t cutoff_ms, std::int64_t after_parcel_id, int limit,
                                 IdSource& ids) {
    PruneReport report;
    report.last_parcel_id = after_parcel_id;
    auto due = store.photos_taken_before(cutoff_ms, after_parcel_id, limit);
    if (!due.ok()) {
        ++report.failed;
        report.problems.push_back(due.error().message);
        return report;
    }
    report.more = static_cast<int>(due.value().size()) >= limit;
    const fs::path directory(settings.dir);
    for (const KeptPhoto& kept : due.value()) {
        report.last_parcel_id = kept.parcel_id;
        const fs::path file(kept.photo.path);
        // The store names the file, but a path the evidence directory does
        // not hold (the directory was moved in the config, a link points
        // elsewhere) is never deleted.
        if (!inside_directory(directory, file)) {
            ++report.skipped;
            report.problems.push_back(kept.photo.path + ": outside the evidence directory " +
                                      settings.dir);
            continue;
        }
        std::error_code error;
        const fs::file_status status = fs::symlink_status(file, error);
        const bool gone = status.type() == fs::file_type::not_found;
        if (!gone && status.type() != fs::file_type::regular) {
            ++report.skipped;
            report.problems.push_back(kept.photo.path + ": not a regular file");
            continue;
        }
        if (!gone && !fs::remove(file, error) && error) {
            ++report.failed;
            report.problems.push_back(kept.photo.path + ": " + error.message());
            continue;
        }
        EventRecord event;
        event.event_id = ids.next_id();
        event.at_ms = now_ms;
        event.station = station;
        event.type = "evidence.pruned";
        event.order_id = kept.order_id;
        event.payload = json_text({{"path", kept.photo.path},
                                   {"sha256", kept.photo.sha256},
                                   {"taken_at_ms", kept.photo.taken_at_ms},
                                   {"file", gone ? "already gone" : "deleted"},
                                   {"retention_days", settings.retention_days}});
        if (auto marked = store.mark_photo_pruned(kept.parcel_id, now_ms, event); !marked.ok()) {
            // The file is gone; the next run finds it missing and records it then.
            ++report.failed;
            report.problems.push_back(kept.photo.path + ": " + marked.error().message);
            continue;
        }
        ++(gone ? report.missing : report.pruned);
        // An emptied day directory goes too (remove() leaves a non-empty one).
        const fs::path day = file.parent_path();
        if (inside_directory(directory, day)) fs::remove(day, error);
    }
    return report;
}

EvidenceRetention::EvidenceRetention(Store& store, EvidenceSettings settings, std::string station,
                                     IdSource& ids)
    : store_(store), settings_(std::move(settings)), station_(std::move(station)), ids_(ids) {}

void EvidenceRetention::tick(std::int64_t now_ms) {
    if (settings_.retention_days <= 0) return;
    if (!cutoff_ms_) {
        if (next_run_ms_ && now_ms < *next_run_ms_ && *next_run_ms_ - now_ms <= kIntervalMs)
            return;  // not due (a clock set back by more than an interval runs at once)
        cutoff_ms_ = now_ms - std::int64_t{settings_.retention_days} * 24 * 60 * 60 * 1000;
        cursor_ = 0;
        run_ = {};
    }
    PruneReport batch = prune_evidence_batch(store_, settings_, station_, now_ms, *cutoff_ms_,
                                             cursor_, kBatch, ids_);
    run_.pruned += batch.pruned;
    run_.missing += batch.missing;
    run_.skipped += batch.skipped;
    run_.failed += batch.failed;
    constexpr std::size_t kProblemsKept = 10;
    for (std::string& problem : batch.problems)
        if (run_.problems.size() < kProblemsKept) run_.problems.push_back(std::move(problem));
    cursor_ = batch.last_parcel_id;
    if (batch.more) return;  // the next tick goes on from the cursor

    if (run_.skipped + run_.failed > 0) {
        EventRecord event;
        event.event_id = ids_.next_id();
        event.at_ms = now_ms;
        event.station = station_;
        event.type = "evidence.prune_incomplete";
        event.payload = json_text({{"pruned", run_.pruned + run_.missing},
                                   {"skipped", run_.skipped},
                                   {"failed", run_.failed},
                                   {"problems", run_.problems}});
        (void)store_.append_event(event);  // best effort: the next run tries again
    }
    cutoff_ms_.reset();
    next_run_ms_ = now_ms + kIntervalMs;
}

}  // namespace packline::station
