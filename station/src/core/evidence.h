// Evidence photos of confirmed parcels: taking one before the confirmation
// commits (so its hash travels in the confirmation), and deleting old ones
// (retention) without ever touching a file outside the evidence directory.
// docs/checks.md, "Evidence photo".
//
// Thread-bound: everything here runs on the station loop thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "packline/error.h"
#include "packline/hardware/devices.h"
#include "packline/ids.h"
#include "packline/station/config.h"
#include "packline/station/domain.h"

namespace packline::station {

class Store;

// "<dir>/<YYYY-MM-DD>/<order>-p<sequence>-<parcel id>.jpg", absolute, the
// date of `at_ms` in UTC. Characters of the order id other than letters,
// digits, '.', '_' and '-' become '_', so an order id never makes a path.
std::filesystem::path evidence_photo_path(const std::string& dir, const Parcel& parcel,
                                          std::int64_t at_ms);

// Takes the photo of a parcel about to be confirmed, creating the dated
// directory. Errors: "evidence.io" (the directory cannot be made),
// "evidence.bad_photo" (the camera reported no hash or no file), or the
// camera's own error ("camera.no_frame", "camera.photo").
Result<EvidencePhoto> take_evidence_photo(hardware::Camera& camera,
                                          const EvidenceSettings& settings, const Parcel& parcel,
                                          std::int64_t at_ms);

// The photo of a parcel about to be confirmed, or why there is none. Both
// empty when photos are off or no camera is configured. `camera_unusable`
// is the camera's health problem, if it has one ("camera unplugged").
struct ConfirmationPhoto {
    std::optional<EvidencePhoto> photo;
    std::optional<Error> failure;
};
ConfirmationPhoto photograph_parcel(hardware::Camera* camera,
                                    const std::optional<std::string>& camera_unusable,
                                    const EvidenceSettings& settings, const Parcel& parcel,
                                    std::int64_t at_ms);

// Deletes the file of a photo whose confirmation did not commit; the next
// scan-back takes a new one. Best effort.
void discard_evidence_photo(const EvidencePhoto& photo);

// True when `file` is inside `directory` (not the directory itself) once
// both are made absolute and symbolic links and ".." are resolved.
bool inside_directory(const std::filesystem::path& directory, const std::filesystem::path& file);

// What one retention batch did.
struct PruneReport {
    int pruned = 0;     // file deleted, record marked pruned
    int missing = 0;    // file already gone; record marked pruned all the same
    int skipped = 0;    // outside the evidence directory or not a regular file: left alone
    int failed = 0;     // the file could not be deleted or the store refused the record
    bool more = false;  // the batch was full: more may be due
    std::int64_t last_parcel_id = 0;    // where the next batch of the same run starts
    std::vector<std::string> problems;  // "<path>: <why>" for skipped and failed photos
};

// One retention batch: photos taken before `cutoff_ms`, of parcels after
// `after_parcel_id`, at most `limit` of them. Each deleted (or already
// missing) file is recorded in the store with an "evidence.pruned" event in
// the same transaction; the hash stays.
PruneReport prune_evidence_batch(Store& store, const EvidenceSettings& settings,
                                 const std::string& station, std::int64_t now_ms,
                                 std::int64_t cutoff_ms, std::int64_t after_parcel_id, int limit,
                                 IdSource& ids);

// Runs retention from the station's tick: a run at the first tick (daemon
// start) and then every `interval_ms`; a run with more photos due than one
// batch continues at the following ticks, so the loop never stalls on a
// large backlog. A run that had to leave photos alone records one
// "evidence.prune_incomplete" event.
class EvidenceRetention {
  public:
    static constexpr std::int64_t kIntervalMs = 60LL * 60 * 1000;
    static constexpr int kBatch = 100;

    EvidenceRetention(Store& store, EvidenceSettings settings, std::string station, IdSource& ids);

    void tick(std::int64_t now_ms);

  private:
    Store& store_;
    EvidenceSettings settings_;
    std::string station_;
    IdSource& ids_;
    std::optional<std::int64_t> next_run_ms_;  // none: at the first tick
    std::optional<std::int64_t> cutoff_ms_;    // set while a run is in progress
    std::int64_t cursor_ = 0;
    PruneReport run_;  // the current run's totals
};

}  // namespace packline::station
