// Supervisor accounts and their sessions for the hub's dashboard (issue 6;
// docs/hub.md, "Supervisor accounts"), kept in the hub database (schema
// version 2: supervisors, supervisor_sessions, supervisor_audit).
//
// Accounts: a user name (1 to 64 of a-z 0-9 . _ -; what is typed is taken in
// lower case), a display name, an Argon2id password hash (password_hash.h),
// disabled or not. Sign-in gives a session token (43 characters, base64url);
// the database keeps only its SHA-256. A session ends at the latest
// `session_hours` after sign-in, and sooner after `idle_minutes` without use.
// last_seen is written at most once a minute per session, so a session may
// end up to a minute before `idle_minutes` of real idleness.
//
// Sign-in attempts are throttled by the client's address, never by the user
// name (login_throttle.h): an address that keeps failing must wait longer
// and longer ("auth.throttled", not verified), so a guesser cannot lock a
// supervisor out, and the real supervisor signs in from another address as
// usual. Names that do not exist are treated alike (a dummy Argon2id verify
// runs so the answer takes as long), so neither timing nor the throttle
// tells which names exist. The throttle lives in memory: a restarted hub
// starts it afresh. Sign-in failures (and the first refusal of each wait),
// every account change and session end are audited (supervisor_audit,
// append-only).
//
// Errors: "auth.invalid" (wrong name or password: one answer for both; an
// unknown or malformed token), "auth.throttled", "auth.disabled",
// "auth.expired", "auth.unknown_user", "auth.exists", "auth.bad_username",
// "auth.bad_display_name", "auth.password_policy", "auth.random",
// "auth.hash", "auth.settings" (open: hours or minutes below 1), and the
// "store.*" codes of hub_store.h.
//
// Threads: a SupervisorDirectory has its own SQLite connection to the hub
// database (WAL; it waits up to 10 s for the write lock like the HubStore)
// and a mutex around it: any thread may call any method. The Argon2id work
// of login() runs outside that mutex (at most two at a time), so a sign-in
// does not hold up authenticate() calls from other threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "packline/error.h"

namespace packline::hub {

struct SupervisorSettings {
    // A session ends this long after sign-in, used or not (default 12: a shift
    // and a half).
    std::int64_t session_hours = 12;
    // ... or this long after its last use (default 30).
    std::int64_t idle_minutes = 30;
};

// An account as listed: never its hash.
struct Supervisor {
    std::string username;
    std::string display_name;
    bool disabled = false;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
    std::int64_t last_login_ms = 0;  // 0: never signed in
};

struct NewSession {
    std::string token;               // give it to the browser; the hub cannot show it again
    std::int64_t expires_at_ms = 0;  // absolute end (session_hours after sign-in)
    std::string username;
    std::string display_name;
};

struct SessionInfo {
    std::string username;
    std::string display_name;
    std::int64_t expires_at_ms = 0;       // absolute end
    std::int64_t idle_expires_at_ms = 0;  // ends here unless used again before
};

// A user name as stored ("Ana" -> "ana"); error "auth.bad_username".
Result<std::string> normalise_username(std::string_view username);

class SupervisorDirectory {
  public:
    // Opens the hub database at `path`, creating and migrating it like
    // HubStore::open when needed (so `packline-hub user add` works before the
    // hub ever ran). `now_ms` is recorded with a migration.
    static Result<std::unique_ptr<SupervisorDirectory>> open(const std::string& path,
                                                             SupervisorSettings settings,
                                                             std::int64_t now_ms);
    ~SupervisorDirectory();
    SupervisorDirectory(const SupervisorDirectory&) = delete;
    SupervisorDirectory& operator=(const SupervisorDirectory&) = delete;

    [[nodiscard]] const SupervisorSettings& settings() const;

    // Account changes. `address` says who asked, for the audit ("cli uid
    // 1000", a browser's address); may be empty. A display name: at most 128
    // characters, no control characters; empty means the user name.
    Status add(std::string_view username, std::string_view display_name, std::string_view password,
               std::int64_t now_ms, std::string_view address = {});
    // Also ends every session of the user (a changed password is often a
    // suspected leak).
    Status set_password(std::string_view username, std::string_view password, std::int64_t now_ms,
                        std::string_view address = {});
    // Removes the account and its sessions (the audit keeps its history).
    Status remove(std::string_view username, std::int64_t now_ms, std::string_view address = {});
    // A disabled account keeps its hash but cannot sign in; its sessions end.
    Status disable(std::string_view username, std::int64_t now_ms, std::string_view address = {});
    Status enable(std::string_view username, std::int64_t now_ms, std::string_view address = {});
    // By user name.
    Result<std::vector<Supervisor>> list();

    // Signs in. `address`: the client's address, for the audit and the
    // session row. Errors "auth.invalid", "auth.throttled", "auth.disabled".
    Result<NewSession> login(std::string_view username, std::string_view password,
                             std::string_view address, std::int64_t now_ms);
    // How long sign-ins from `address` must still wait (0: none), e.g. for
    // an HTTP Retry-After after "auth.throttled".
    std::int64_t sign_in_wait_ms(std::string_view address, std::int64_t now_ms);
    // The session of a token. An expired one (absolute or idle) is deleted and
    // answered "auth.expired"; an unknown one "auth.invalid".
    Result<SessionInfo> authenticate(std::string_view token, std::int64_t now_ms);
    // Ends the token's session; true when there was one.
    Result<bool> logout(std::string_view token, std::int64_t now_ms, std::string_view address = {});
    // Deletes every expired session (audited); how many. The server calls it
    // now and then: authenticate() only removes the sessions it is shown.
    Result<std::int64_t> purge_expired(std::int64_t now_ms);

    struct Impl;

  private:
    explicit SupervisorDirectory(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace packline::hub
