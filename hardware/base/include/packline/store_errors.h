// The error codes of the stores (the station store, the hub store and the
// SQLite wrapper beneath both; in base because sync sees them through its
// outbox interface): stable and machine-readable, the code
// of a packline::Error (error.h). docs/error-codes.md lists every code
// of every module (tests/unit/project/error_codes_test.cpp keeps it so).
#pragma once

#include <array>

namespace packline::errors {

inline constexpr const char* kStoreBadArgument = "store.bad_argument";
inline constexpr const char* kStoreBusy = "store.busy";
inline constexpr const char* kStoreConstraint = "store.constraint";
inline constexpr const char* kStoreCorrupt = "store.corrupt";
inline constexpr const char* kStoreForeign = "store.foreign";
inline constexpr const char* kStoreFull = "store.full";
inline constexpr const char* kStoreInvalid = "store.invalid";
inline constexpr const char* kStoreIo = "store.io";
inline constexpr const char* kStoreMigration = "store.migration";
inline constexpr const char* kStoreNotFound = "store.not_found";
inline constexpr const char* kStorePoolNumberTaken = "store.pool_number_taken";
inline constexpr const char* kStoreReadOnly = "store.read_only";
inline constexpr const char* kStoreTooNew = "store.too_new";

inline constexpr std::array kStoreErrors{
    kStoreBadArgument, kStoreBusy,     kStoreConstraint,      kStoreCorrupt,
    kStoreForeign,     kStoreFull,     kStoreInvalid,         kStoreIo,
    kStoreMigration,   kStoreNotFound, kStorePoolNumberTaken, kStoreReadOnly,
    kStoreTooNew,
};

}  // namespace packline::errors
