#include "packline/hub/supervisors.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <semaphore>

#include "hub_database.h"
#include "packline/hub/hub_errors.h"
#include "packline/hub/login_throttle.h"
#include "packline/hub/password_hash.h"
#include "packline/sync/text_checks.h"
#include "packline/text.h"
#include "session_token.h"

namespace packline::hub {

namespace {

constexpr std::size_t kUsernameMaxBytes = 64;
constexpr std::size_t kDisplayNameMaxCharacters = 128;
// last_seen_ms is written at most this often per session.
constexpr std::int64_t kLastSeenResolutionMs = 60 * 1000;
// Argon2id verifications at once: each takes 19 MiB and a core for tens of
// milliseconds; more sign-ins than this wait their turn.
constexpr std::ptrdiff_t kConcurrentVerifications = 2;
// The audit's name for an attempt whose user name is not even well formed:
// what was typed, cut and made printable.
constexpr std::size_t kAuditNameMaxBytes = 64;

// login_failed details.
constexpr std::string_view kUnknownUser = "unknown_user";
constexpr std::string_view kWrongPassword = "wrong_password";
constexpr std::string_view kThrottled = "throttled";
constexpr std::string_view kDisabled = "disabled";

Error invalid_login() {
    return Error{errors::kAuthInvalid, "wrong user name or password"};
}

Error unknown_user(std::string_view username) {
    return Error{errors::kAuthUnknownUser, "no supervisor '" + std::string(username) + "'"};
}

// The first characters of a session's token hash: names a session in the
// audit without anything that could be used as one.
std::string session_label(const std::string& token_hash) {
    return "session " + token_hash.substr(0, 12);
}

Result<std::string> checked_display_name(std::string_view display_name, std::string_view username) {
    const std::string_view trimmed = text::trim(display_name);
    if (trimmed.empty()) return std::string(username);
    if (!sync::text::valid_utf8(trimmed) || sync::text::has_control_character(trimmed))
        return Error{errors::kAuthBadDisplayName,
                     "the display name must be UTF-8 text without control characters"};
    if (sync::text::code_points(trimmed) > kDisplayNameMaxCharacters)
        return Error{errors::kAuthBadDisplayName, "the display name is longer than " +
                                                      std::to_string(kDisplayNameMaxCharacters) +
                                                      " characters"};
    return std::string(trimmed);
}

}  // namespace

Result<std::string> normalise_username(std::string_view username) {
    const std::string name = text::to_lower_ascii(username);
    const auto allowed = [](char character) {
        return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') ||
               character == '.' || character == '_' || character == '-';
    };
    const bool well_formed =
        !name.empty() && name.size() <= kUsernameMaxBytes &&
        std::all_of(name.begin(), name.end(), allowed) &&
        // Not '-' first: it would read as an option on the command line.
        ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9'));
    if (!well_formed)
        return Error{errors::kAuthBadUsername,
                     "a user name is 1 to 64 characters: letters a-z, digits, '.', '_', '-', "
                     "starting with a letter or digit"};
    return name;
}

struct SupervisorDirectory::Impl {
    SupervisorSettings settings;
    std::mutex mutex;  // guards everything below
    sqlite::Database database;

    std::counting_semaphore<kConcurrentVerifications> verifications{kConcurrentVerifications};
    // A hash with today's parameters that no password matches, verified
    // against for names that do not exist so their answer takes as long.
    std::once_flag dummy_once;
    std::string dummy_hash;
    LoginThrottle throttle;

    [[nodiscard]] std::int64_t idle_ms() const { return settings.idle_minutes * 60 * 1000; }
    [[nodiscard]] std::int64_t session_ms() const { return settings.session_hours * 3600 * 1000; }

    Impl(SupervisorSettings settings_, sqlite::Database database_)
        : settings(settings_), database(std::move(database_)) {}

    Result<sqlite::Query> query(std::string_view sql) { return database.query(sql); }
    Status execute(std::string_view sql) { return database.execute(sql); }

    template <typename Body>
    Status transaction(Body body) {
        return database.immediate_transaction(std::move(body));
    }

    Status audit(std::int64_t at_ms, std::string_view username, std::string_view action,
                 std::string_view address, std::string_view detail) {
        auto statement = query(
            "INSERT INTO supervisor_audit (at_ms, username, action, address, detail) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!statement) return statement.error();
        statement->bind_integer(1, at_ms)
            .bind_text(2, username)
            .bind_text(3, action)
            .bind_text(4, sync::text::sanitized(sync::text::cut_utf8(address, 256)))
            .bind_text(5, detail);
        return statement->run();
    }

    Result<std::int64_t> delete_sessions_of(std::string_view username) {
        auto statement = query("DELETE FROM supervisor_sessions WHERE username = ?1");
        if (!statement) return statement.error();
        statement->bind_text(1, username);
        if (auto done = statement->run(); !done) return done.error();
        return statement->changes();
    }

    Status delete_session(const std::string& token_hash) {
        auto statement = query("DELETE FROM supervisor_sessions WHERE token_hash = ?1");
        if (!statement) return statement.error();
        statement->bind_text(1, token_hash);
        return statement->run();
    }

    const std::string& dummy() {
        std::call_once(dummy_once, [this] {
            auto made = hash_password("no password matches this one");
            // Without randomness there is no sign-in anyway (no token); an
            // unreadable dummy just makes the unknown name's answer quicker.
            dummy_hash = made ? *made : std::string("$argon2id$v=19$m=19456,t=2,p=1$");
        });
        return dummy_hash;
    }
};

SupervisorDirectory::SupervisorDirectory(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SupervisorDirectory::~SupervisorDirectory() = default;

Result<std::unique_ptr<SupervisorDirectory>> SupervisorDirectory::open(const std::string& path,
                                                                       SupervisorSettings settings,
                                                                       std::int64_t now_ms) {
    if (settings.session_hours < 1 || settings.idle_minutes < 1)
        return Error{errors::kAuthSettings, "session_hours and idle_minutes must be at least 1"};
    auto connection = open_hub_database(path, now_ms);
    if (!connection) return connection.error();
    auto impl = std::make_unique<Impl>(settings, std::move(connection).value());
    return std::unique_ptr<SupervisorDirectory>(new SupervisorDirectory(std::move(impl)));
}

const SupervisorSettings& SupervisorDirectory::settings() const {
    return impl_->settings;
}

Status SupervisorDirectory::add(std::string_view username, std::string_view display_name,
                                std::string_view password, std::int64_t now_ms,
                                std::string_view address) {
    auto name = normalise_username(username);
    if (!name) return name.error();
    auto display = checked_display_name(display_name, *name);
    if (!display) return display.error();
    // Hashing takes its time: outside the lock.
    auto hash = hash_password(password);
    if (!hash) return hash.error();
    std::lock_guard lock(impl_->mutex);
    Status status = impl_->transaction([&]() -> Status {
        auto statement = impl_->query(
            "INSERT INTO supervisors (username, display_name, password_hash, created_at_ms, "
            "updated_at_ms, disabled) VALUES (?1, ?2, ?3, ?4, ?4, 0) "
            "ON CONFLICT (username) DO NOTHING");
        if (!statement) return statement.error();
        statement->bind_text(1, *name)
            .bind_text(2, *display)
            .bind_text(3, *hash)
            .bind_integer(4, now_ms);
        if (auto done = statement->run(); !done) return done;
        if (statement->changes() == 0)
            return Error{errors::kAuthExists, "supervisor '" + *name + "' exists already"};
        return impl_->audit(now_ms, *name, "user_added", address, *display);
    });
    if (!status) return status.error().context("add supervisor " + *name);
    return {};
}

Status SupervisorDirectory::set_password(std::string_view username, std::string_view password,
                                         std::int64_t now_ms, std::string_view address) {
    auto name = normalise_username(username);
    if (!name) return name.error();
    auto hash = hash_password(password);
    if (!hash) return hash.error();
    std::lock_guard lock(impl_->mutex);
    Status status = impl_->transaction([&]() -> Status {
        auto statement = impl_->query(
            "UPDATE supervisors SET password_hash = ?2, updated_at_ms = ?3 WHERE username = ?1");
        if (!statement) return statement.error();
        statement->bind_text(1, *name).bind_text(2, *hash).bind_integer(3, now_ms);
        if (auto done = statement->run(); !done) return done;
        if (statement->changes() == 0) return unknown_user(*name);
        auto ended = impl_->delete_sessions_of(*name);
        if (!ended) return ended.error();
        return impl_->audit(now_ms, *name, "password_changed", address,
                            "sessions ended: " + std::to_string(*ended));
    });
    if (!status) return status.error().context("set the password of " + *name);
    return {};
}

Status SupervisorDirectory::remove(std::string_view username, std::int64_t now_ms,
                                   std::string_view address) {
    auto name = normalise_username(username);
    if (!name) return name.error();
    std::lock_guard lock(impl_->mutex);
    Status status = impl_->transaction([&]() -> Status {
        auto ended = impl_->delete_sessions_of(*name);
        if (!ended) return ended.error();
        auto statement = impl_->query("DELETE FROM supervisors WHERE username = ?1");
        if (!statement) return statement.error();
        statement->bind_text(1, *name);
        if (auto done = statement->run(); !done) return done;
        if (statement->changes() == 0) return unknown_user(*name);
        return impl_->audit(now_ms, *name, "user_removed", address,
                            "sessions ended: " + std::to_string(*ended));
    });
    if (!status) return status.error().context("remove supervisor " + *name);
    return {};
}

namespace {

Status set_disabled(SupervisorDirectory::Impl& impl, std::string_view username, bool disabled,
                    std::int64_t now_ms, std::string_view address) {
    auto name = normalise_username(username);
    if (!name) return name.error();
    std::lock_guard lock(impl.mutex);
    Status status = impl.transaction([&]() -> Status {
        {
            auto exists = impl.query("SELECT disabled FROM supervisors WHERE username = ?1");
            if (!exists) return exists.error();
            exists->bind_text(1, *name);
            auto row = exists->step();
            if (!row) return row.error();
            if (!*row) return unknown_user(*name);
            // Already so: nothing to change or audit.
            if ((exists->column_integer(0) != 0) == disabled) return {};
        }
        auto statement = impl.query(
            "UPDATE supervisors SET disabled = ?2, updated_at_ms = ?3 WHERE username = ?1");
        if (!statement) return statement.error();
        statement->bind_text(1, *name).bind_integer(2, disabled ? 1 : 0).bind_integer(3, now_ms);
        if (auto done = statement->run(); !done) return done;
        std::int64_t ended = 0;
        if (disabled) {
            auto deleted = impl.delete_sessions_of(*name);
            if (!deleted) return deleted.error();
            ended = *deleted;
        }
        return impl.audit(now_ms, *name, disabled ? "user_disabled" : "user_enabled", address,
                          disabled ? "sessions ended: " + std::to_string(ended) : std::string());
    });
    if (!status)
        return status.error().context((disabled ? "disable supervisor " : "enable supervisor ") +
                                      *name);
    return {};
}

}  // namespace

Status SupervisorDirectory::disable(std::string_view username, std::int64_t now_ms,
                                    std::string_view address) {
    return set_disabled(*impl_, username, true, now_ms, address);
}

Status SupervisorDirectory::enable(std::string_view username, std::int64_t now_ms,
                                   std::string_view address) {
    return set_disabled(*impl_, username, false, now_ms, address);
}

Result<std::vector<Supervisor>> SupervisorDirectory::list() {
    std::lock_guard lock(impl_->mutex);
    auto statement = impl_->query(
        "SELECT username, display_name, disabled, created_at_ms, updated_at_ms, "
        "(SELECT coalesce(max(at_ms), 0) FROM supervisor_audit a WHERE a.username = "
        "s.username AND a.action = 'login') FROM supervisors s ORDER BY username");
    if (!statement) return statement.error();
    std::vector<Supervisor> supervisors;
    for (;;) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return supervisors;
        supervisors.push_back(Supervisor{statement->column_text(0), statement->column_text(1),
                                         statement->column_integer(2) != 0,
                                         statement->column_integer(3), statement->column_integer(4),
                                         statement->column_integer(5)});
    }
}

Result<NewSession> SupervisorDirectory::login(std::string_view username, std::string_view password,
                                              std::string_view address, std::int64_t now_ms) {
    Impl& impl = *impl_;
    auto normalised = normalise_username(username);
    // A name that cannot exist is still audited under what was typed.
    const std::string name =
        normalised ? *normalised
                   : sync::text::printable(text::to_lower_ascii(username), kAuditNameMaxBytes);

    // 1. Under the lock: the address's throttle, then the account.
    struct Account {
        std::string display_name;
        std::string password_hash;
        bool disabled = false;
    };
    std::optional<Account> account;
    {
        std::lock_guard lock(impl.mutex);
        if (const std::int64_t wait = impl.throttle.wait_ms(address, now_ms); wait > 0) {
            if (impl.throttle.refused(address)) {
                if (auto audited = impl.audit(now_ms, name, "login_failed", address, kThrottled);
                    !audited)
                    return audited.error().context("sign in");
            }
            return Error{errors::kAuthThrottled,
                         "too many failed sign-ins from here: try again in " +
                             std::to_string((wait + 999) / 1000) + " s"};
        }
        impl.throttle.attempt(address, now_ms);
        if (normalised) {
            auto statement = impl.query(
                "SELECT display_name, password_hash, disabled FROM supervisors WHERE username = "
                "?1");
            if (!statement) return statement.error().context("sign in");
            statement->bind_text(1, name);
            auto row = statement->step();
            if (!row) return row.error().context("sign in");
            if (*row)
                account = Account{statement->column_text(0), statement->column_text(1),
                                  statement->column_integer(2) != 0};
        }
    }

    // 2. Outside the lock, a few at a time: Argon2id, against the dummy hash
    // for a name that does not exist, so the answer takes as long.
    Result<bool> verified = false;
    std::optional<std::string> new_hash;
    {
        const std::string& hash = account ? account->password_hash : impl.dummy();
        impl.verifications.acquire();
        verified = verify_password(password, hash);
        if (verified && *verified && !password_hash_is_current(hash)) {
            // Made with older parameters: store one with today's (a password
            // that no longer meets the policy keeps its old hash).
            if (auto rehashed = hash_password(password)) new_hash = *rehashed;
        }
        impl.verifications.release();
    }

    // 3. Under the lock again: the verdict, audited; the session.
    std::lock_guard lock(impl.mutex);
    if (!account || !verified || !*verified) {
        const std::string_view detail = !account   ? kUnknownUser
                                        : verified ? kWrongPassword
                                                   : std::string_view("unreadable password hash");
        if (auto audited = impl.audit(now_ms, name, "login_failed", address, detail); !audited)
            return audited.error().context("sign in");
        if (account && !verified) return verified.error().context("sign in as " + name);
        return invalid_login();
    }
    if (account->disabled) {
        if (auto audited = impl.audit(now_ms, name, "login_failed", address, kDisabled); !audited)
            return audited.error().context("sign in");
        return Error{errors::kAuthDisabled, "this account is disabled: ask an administrator"};
    }
    auto token = new_session_token();
    if (!token) return token.error().context("sign in");
    const std::string token_hash = session_token_hash(*token);
    NewSession session{*token, now_ms + impl.session_ms(), name, account->display_name};
    Status status = impl.transaction([&]() -> Status {
        {
            // The account may have changed while the password was verified:
            // removed, disabled, or given another password.
            auto unchanged = impl.query(
                "SELECT 1 FROM supervisors WHERE username = ?1 AND password_hash = ?2 AND "
                "disabled = 0");
            if (!unchanged) return unchanged.error();
            unchanged->bind_text(1, name).bind_text(2, account->password_hash);
            auto row = unchanged->step();
            if (!row) return row.error();
            if (!*row) return invalid_login();
        }
        auto statement = impl.query(
            "INSERT INTO supervisor_sessions (token_hash, username, created_at_ms, expires_at_ms, "
            "last_seen_ms, address) VALUES (?1, ?2, ?3, ?4, ?3, ?5)");
        if (!statement) return statement.error();
        statement->bind_text(1, token_hash)
            .bind_text(2, name)
            .bind_integer(3, now_ms)
            .bind_integer(4, session.expires_at_ms)
            .bind_text(5, sync::text::sanitized(sync::text::cut_utf8(address, 256)));
        if (auto done = statement->run(); !done) return done;
        if (new_hash) {
            auto update = impl.query(
                "UPDATE supervisors SET password_hash = ?3 WHERE username = ?1 AND "
                "password_hash = ?2");
            if (!update) return update.error();
            update->bind_text(1, name).bind_text(2, account->password_hash).bind_text(3, *new_hash);
            if (auto done = update->run(); !done) return done;
        }
        return impl.audit(now_ms, name, "login", address, session_label(token_hash));
    });
    if (!status) {
        if (status.error().code == errors::kAuthInvalid) return status.error();
        return status.error().context("sign in as " + name);
    }
    impl.throttle.succeeded(address);
    return session;
}

std::int64_t SupervisorDirectory::sign_in_wait_ms(std::string_view address, std::int64_t now_ms) {
    std::lock_guard lock(impl_->mutex);
    return impl_->throttle.wait_ms(address, now_ms);
}

Result<SessionInfo> SupervisorDirectory::authenticate(std::string_view token, std::int64_t now_ms) {
    const Error unknown{errors::kAuthInvalid, "no such session: sign in"};
    if (!looks_like_session_token(token)) return unknown;
    const std::string token_hash = session_token_hash(token);
    Impl& impl = *impl_;
    std::lock_guard lock(impl.mutex);
    SessionInfo info;
    std::int64_t last_seen_ms = 0;
    bool disabled = false;
    std::string address;
    {
        auto statement = impl.query(
            "SELECT s.username, u.display_name, s.expires_at_ms, s.last_seen_ms, u.disabled, "
            "s.address FROM supervisor_sessions s JOIN supervisors u ON u.username = s.username "
            "WHERE s.token_hash = ?1");
        if (!statement) return statement.error().context("check session");
        statement->bind_text(1, token_hash);
        auto row = statement->step();
        if (!row) return row.error().context("check session");
        if (!*row) return unknown;
        info.username = statement->column_text(0);
        info.display_name = statement->column_text(1);
        info.expires_at_ms = statement->column_integer(2);
        last_seen_ms = statement->column_integer(3);
        disabled = statement->column_integer(4) != 0;
        address = statement->column_text(5);
    }  // the read ends before any write

    const bool absolute_end = now_ms >= info.expires_at_ms;
    const bool idle_end = now_ms - last_seen_ms >= impl.idle_ms();
    if (absolute_end || idle_end || disabled) {
        Status ended = impl.transaction([&]() -> Status {
            if (auto deleted = impl.delete_session(token_hash); !deleted) return deleted;
            if (disabled) return {};  // disable() audited it
            return impl.audit(now_ms, info.username, "session_expired", address,
                              session_label(token_hash) + (absolute_end ? ": absolute" : ": idle"));
        });
        if (!ended) return ended.error().context("end session");
        if (disabled) return Error{errors::kAuthDisabled, "this account is disabled"};
        return Error{errors::kAuthExpired, "the session has expired: sign in again"};
    }
    std::int64_t seen = last_seen_ms;
    if (now_ms - last_seen_ms >= kLastSeenResolutionMs) {
        auto update =
            impl.query("UPDATE supervisor_sessions SET last_seen_ms = ?2 WHERE token_hash = ?1");
        if (!update) return update.error().context("check session");
        update->bind_text(1, token_hash).bind_integer(2, now_ms);
        if (auto done = update->run(); !done) return done.error().context("check session");
        seen = now_ms;
    }
    info.idle_expires_at_ms = std::min(info.expires_at_ms, seen + impl.idle_ms());
    return info;
}

Result<bool> SupervisorDirectory::logout(std::string_view token, std::int64_t now_ms,
                                         std::string_view address) {
    if (!looks_like_session_token(token)) return false;
    const std::string token_hash = session_token_hash(token);
    Impl& impl = *impl_;
    std::lock_guard lock(impl.mutex);
    bool found = false;
    Status status = impl.transaction([&]() -> Status {
        std::string username;
        {
            auto statement =
                impl.query("SELECT username FROM supervisor_sessions WHERE token_hash = ?1");
            if (!statement) return statement.error();
            statement->bind_text(1, token_hash);
            auto row = statement->step();
            if (!row) return row.error();
            if (!*row) return {};
            username = statement->column_text(0);
        }
        found = true;
        if (auto deleted = impl.delete_session(token_hash); !deleted) return deleted;
        return impl.audit(now_ms, username, "logout", address, session_label(token_hash));
    });
    if (!status) return status.error().context("sign out");
    return found;
}

Result<std::int64_t> SupervisorDirectory::purge_expired(std::int64_t now_ms) {
    Impl& impl = *impl_;
    std::lock_guard lock(impl.mutex);
    std::int64_t purged = 0;
    Status status = impl.transaction([&]() -> Status {
        struct Expired {
            std::string token_hash;
            std::string username;
            std::string address;
            bool absolute = false;
        };
        std::vector<Expired> expired;
        {
            auto statement = impl.query(
                "SELECT token_hash, username, address, expires_at_ms <= ?1 FROM "
                "supervisor_sessions WHERE expires_at_ms <= ?1 OR last_seen_ms <= ?2");
            if (!statement) return statement.error();
            statement->bind_integer(1, now_ms).bind_integer(2, now_ms - impl.idle_ms());
            for (;;) {
                auto row = statement->step();
                if (!row) return row.error();
                if (!*row) break;
                expired.push_back({statement->column_text(0), statement->column_text(1),
                                   statement->column_text(2), statement->column_integer(3) != 0});
            }
        }
        for (const Expired& session : expired) {
            if (auto deleted = impl.delete_session(session.token_hash); !deleted) return deleted;
            if (auto audited =
                    impl.audit(now_ms, session.username, "session_expired", session.address,
                               session_label(session.token_hash) +
                                   (session.absolute ? ": absolute" : ": idle"));
                !audited)
                return audited;
        }
        purged = static_cast<std::int64_t>(expired.size());
        return {};
    });
    if (!status) return status.error().context("purge expired sessions");
    return purged;
}

}  // namespace packline::hub
