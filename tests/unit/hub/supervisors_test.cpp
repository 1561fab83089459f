// Supervisor accounts and sessions: sign-in, one answer for a wrong name or
// password, throttling by address (never by name), absolute and idle expiry, sign-out,
// disabled accounts, and what the database keeps (never a token, never a
// password). Time is injected: nothing here waits.
#include "packline/hub/supervisors.h"

#include <argon2.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <thread>
#include <vector>

#include "old_password_hash.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/login_throttle.h"
#include "packline/hub/password_hash.h"

namespace packline::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t kStart = 1795420800000;  // 2026-11-23T08:00:00Z
constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr const char* kPassword = "correct horse battery";

class SupervisorsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/packline-supervisors-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        path_ = (dir_ / "hub.db").string();
        auto opened = SupervisorDirectory::open(path_, SupervisorSettings{}, kStart);
        ASSERT_TRUE(opened) << opened.error().to_string();
        directory_ = std::move(opened).value();
        ASSERT_TRUE(directory_->add("ana", "Ana de Vries", kPassword, kStart, "cli uid 0"));
    }
    void TearDown() override {
        directory_.reset();
        std::filesystem::remove_all(dir_);
    }

    NewSession sign_in(std::int64_t now_ms, const std::string& name = "ana",
                       const std::string& password = kPassword) {
        auto session = directory_->login(name, password, "10.0.0.7", now_ms);
        EXPECT_TRUE(session) << session.error().to_string();
        return session ? *session : NewSession{};
    }

    std::string login_error(const std::string& name, const std::string& password,
                            std::int64_t now_ms, const std::string& address = "10.0.0.7") {
        auto session = directory_->login(name, password, address, now_ms);
        return session ? std::string("signed in") : session.error().code;
    }

    std::string authenticate_error(const std::string& token, std::int64_t now_ms) {
        auto info = directory_->authenticate(token, now_ms);
        return info ? std::string("valid") : info.error().code;
    }

    // Every row of a table as text, for looking at what is stored.
    std::vector<std::string> rows(const std::string& table) {
        sqlite3* raw = nullptr;
        EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* statement = nullptr;
        const std::string sql = "SELECT * FROM " + table + " ORDER BY rowid";
        EXPECT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &statement, nullptr), SQLITE_OK);
        std::vector<std::string> result;
        while (sqlite3_step(statement) == SQLITE_ROW) {
            std::string row;
            for (int column = 0; column < sqlite3_column_count(statement); ++column) {
                const auto* text = sqlite3_column_text(statement, column);
                row += (column > 0 ? "|" : "") +
                       std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "");
            }
            result.push_back(row);
        }
        sqlite3_finalize(statement);
        sqlite3_close(raw);
        return result;
    }

    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<SupervisorDirectory> directory_;
};

TEST_F(SupervisorsTest, SigningInGivesASessionThatAuthenticates) {
    const NewSession session = sign_in(kStart + kMinute);
    EXPECT_EQ(session.token.size(), 43u);
    EXPECT_EQ(session.token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(session.username, "ana");
    EXPECT_EQ(session.display_name, "Ana de Vries");
    EXPECT_EQ(session.expires_at_ms, kStart + kMinute + 12 * kHour);

    const auto info = directory_->authenticate(session.token, kStart + 2 * kMinute);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->username, "ana");
    EXPECT_EQ(info->display_name, "Ana de Vries");
    EXPECT_EQ(info->expires_at_ms, session.expires_at_ms);
    EXPECT_EQ(info->idle_expires_at_ms, kStart + 2 * kMinute + 30 * kMinute);

    // The name is taken in lower case; two sign-ins are two sessions.
    const NewSession other = sign_in(kStart + 3 * kMinute, "ANA");
    EXPECT_NE(other.token, session.token);
    EXPECT_TRUE(directory_->authenticate(session.token, kStart + 4 * kMinute));
    EXPECT_TRUE(directory_->authenticate(other.token, kStart + 4 * kMinute));

    const auto listed = directory_->list();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].username, "ana");
    EXPECT_EQ((*listed)[0].last_login_ms, kStart + 3 * kMinute);
    EXPECT_FALSE((*listed)[0].disabled);
}

TEST_F(SupervisorsTest, AWrongPasswordAndAnUnknownNameGetTheSameAnswer) {
    const auto wrong = directory_->login("ana", "not the password", "10.0.0.7", kStart);
    const auto unknown = directory_->login("zed", kPassword, "10.0.0.7", kStart);
    const auto malformed = directory_->login("a/b c", kPassword, "10.0.0.7", kStart);
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    ASSERT_FALSE(malformed);
    EXPECT_EQ(wrong.error().code, "auth.invalid");
    EXPECT_EQ(unknown.error().code, "auth.invalid");
    EXPECT_EQ(malformed.error().code, "auth.invalid");
    EXPECT_EQ(wrong.error().message, unknown.error().message);
    EXPECT_EQ(wrong.error().message, malformed.error().message);

    // The audit tells them apart; the answer does not.
    const auto audit = rows("supervisor_audit");
    ASSERT_EQ(audit.size(), 4u);
    EXPECT_THAT(audit[1], HasSubstr("|ana|login_failed|10.0.0.7|wrong_password"));
    EXPECT_THAT(audit[2], HasSubstr("|zed|login_failed|10.0.0.7|unknown_user"));
    EXPECT_THAT(audit[3], HasSubstr("|a/b c|login_failed|10.0.0.7|unknown_user"));
}

TEST_F(SupervisorsTest, GuessesSlowTheGuesserNotTheSupervisor) {
    const std::string guesser = "192.0.2.66";
    for (int attempt = 0; attempt < kThrottleFreeFailures; ++attempt)
        EXPECT_EQ(login_error("ana", "guess number " + std::to_string(attempt), kStart + attempt,
                              guesser),
                  "auth.invalid");
    // The guesser must wait now, whatever the name or password...
    EXPECT_EQ(login_error("ana", kPassword, kStart + 10, guesser), "auth.throttled");
    EXPECT_EQ(login_error("zed", kPassword, kStart + 11, guesser), "auth.throttled");
    EXPECT_GT(directory_->sign_in_wait_ms(guesser, kStart + 11), 0);
    // ... while ana, at her own desk, signs in as usual.
    EXPECT_EQ(login_error("ana", kPassword, kStart + 12, "10.0.0.7"), "signed in");
    EXPECT_EQ(directory_->sign_in_wait_ms("10.0.0.7", kStart + 12), 0);

    // Each heard guess doubles the wait: 1 s after the fifth, then 2 s.
    const std::int64_t fifth = kStart + kThrottleFreeFailures - 1;
    EXPECT_EQ(login_error("ana", "guess", fifth + kThrottleFirstDelayMs, guesser), "auth.invalid");
    const std::int64_t sixth = fifth + kThrottleFirstDelayMs;
    EXPECT_EQ(login_error("ana", "guess", sixth + 2 * kThrottleFirstDelayMs - 1, guesser),
              "auth.throttled");
    EXPECT_EQ(login_error("ana", "guess", sixth + 2 * kThrottleFirstDelayMs, guesser),
              "auth.invalid");

    // Refusals are audited once per wait, not once per request.
    const auto audit = rows("supervisor_audit");
    EXPECT_EQ(std::count_if(audit.begin(), audit.end(),
                            [&](const std::string& row) {
                                return row.find("|login_failed|" + guesser + "|throttled") !=
                                       std::string::npos;
                            }),
              2);
}

TEST_F(SupervisorsTest, ASuccessfulSignInClearsTheFailures) {
    for (int attempt = 0; attempt < 4; ++attempt)
        EXPECT_EQ(login_error("ana", "wrong password", kStart + attempt), "auth.invalid");
    sign_in(kStart + 10);
    for (int attempt = 0; attempt < 4; ++attempt)
        EXPECT_EQ(login_error("ana", "wrong password", kStart + 20 + attempt), "auth.invalid");
    EXPECT_EQ(login_error("ana", kPassword, kStart + 30), "signed in");
}

TEST_F(SupervisorsTest, ASessionEndsAfterItsHoursWhateverItsUse) {
    const NewSession session = sign_in(kStart);
    // Used every 20 minutes: never idle.
    std::int64_t now = kStart;
    for (; now <= kStart + 12 * kHour - 20 * kMinute; now += 20 * kMinute)
        ASSERT_EQ(authenticate_error(session.token, now), "valid") << (now - kStart) / kMinute;
    EXPECT_EQ(authenticate_error(session.token, kStart + 12 * kHour - 1), "valid");
    EXPECT_EQ(authenticate_error(session.token, kStart + 12 * kHour), "auth.expired");
    // Deleted on the way: now it is unknown.
    EXPECT_EQ(authenticate_error(session.token, kStart + 12 * kHour), "auth.invalid");
    EXPECT_THAT(rows("supervisor_audit").back(), HasSubstr("|ana|session_expired|10.0.0.7|"));
    EXPECT_THAT(rows("supervisor_audit").back(), HasSubstr(": absolute"));
}

TEST_F(SupervisorsTest, ASessionEndsAfterItsIdleMinutes) {
    const NewSession first = sign_in(kStart);
    EXPECT_EQ(authenticate_error(first.token, kStart + 30 * kMinute - 1), "valid");
    // That use moved last_seen on: another 30 minutes from it.
    EXPECT_EQ(authenticate_error(first.token, kStart + 60 * kMinute - 2), "valid");
    EXPECT_EQ(authenticate_error(first.token, kStart + 90 * kMinute - 2), "auth.expired");
    EXPECT_THAT(rows("supervisor_audit").back(), HasSubstr(": idle"));

    // last_seen is written at most once a minute: a use 30 s after sign-in
    // does not move it, so idleness counts from the sign-in.
    const NewSession second = sign_in(kStart + 100 * kMinute);
    EXPECT_EQ(authenticate_error(second.token, kStart + 100 * kMinute + 30000), "valid");
    EXPECT_EQ(authenticate_error(second.token, kStart + 130 * kMinute), "auth.expired");
}

TEST_F(SupervisorsTest, SigningOutEndsTheSession) {
    const NewSession session = sign_in(kStart);
    const NewSession other = sign_in(kStart);
    auto ended = directory_->logout(session.token, kStart + kMinute, "10.0.0.7");
    ASSERT_TRUE(ended) << ended.error().to_string();
    EXPECT_TRUE(*ended);
    EXPECT_EQ(authenticate_error(session.token, kStart + kMinute), "auth.invalid");
    EXPECT_FALSE(*directory_->logout(session.token, kStart + kMinute));
    EXPECT_FALSE(*directory_->logout("not a token", kStart + kMinute));
    EXPECT_EQ(authenticate_error(other.token, kStart + kMinute), "valid");
    EXPECT_THAT(rows("supervisor_audit").back(), HasSubstr("|ana|logout|10.0.0.7|session "));
}

TEST_F(SupervisorsTest, TheDatabaseNeverHoldsATokenOrAPassword) {
    const NewSession session = sign_in(kStart);
    (void)directory_->authenticate(session.token, kStart + 2 * kMinute);
    const auto sessions = rows("supervisor_sessions");
    ASSERT_EQ(sessions.size(), 1u);
    const std::string token_hash = sessions[0].substr(0, sessions[0].find('|'));
    EXPECT_EQ(token_hash.size(), 64u);
    EXPECT_EQ(token_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
    for (const char* table : {"supervisor_sessions", "supervisor_audit", "supervisors"})
        for (const std::string& row : rows(table)) {
            EXPECT_THAT(row, Not(HasSubstr(session.token))) << table;
            EXPECT_THAT(row, Not(HasSubstr(kPassword))) << table;
        }
    // The same token text always gives the same row; a token that differs in
    // one character finds nothing.
    std::string altered = session.token;
    altered[0] = altered[0] == 'A' ? 'B' : 'A';
    EXPECT_EQ(authenticate_error(altered, kStart + 3 * kMinute), "auth.invalid");
    EXPECT_EQ(authenticate_error("", kStart), "auth.invalid");
    EXPECT_EQ(authenticate_error(session.token + "x", kStart), "auth.invalid");
}

TEST_F(SupervisorsTest, ADisabledAccountCannotSignInAndLosesItsSessions) {
    const NewSession session = sign_in(kStart);
    ASSERT_TRUE(directory_->disable("ana", kStart + 1, "cli uid 0"));
    EXPECT_EQ(authenticate_error(session.token, kStart + 2), "auth.invalid");
    EXPECT_EQ(login_error("ana", kPassword, kStart + 3), "auth.disabled");
    // A wrong password does not tell that the account exists but is disabled.
    EXPECT_EQ(login_error("ana", "wrong password", kStart + 4), "auth.invalid");
    EXPECT_TRUE((*directory_->list())[0].disabled);
    // Disabling twice changes nothing.
    ASSERT_TRUE(directory_->disable("ana", kStart + 5));
    ASSERT_TRUE(directory_->enable("ana", kStart + 6));
    EXPECT_EQ(login_error("ana", kPassword, kStart + 7), "signed in");

    EXPECT_EQ(directory_->disable("zed", kStart).error().code, "auth.unknown_user");
}

TEST_F(SupervisorsTest, ANewPasswordEndsTheSessionsAndReplacesTheOld) {
    const NewSession session = sign_in(kStart);
    ASSERT_TRUE(directory_->set_password("ana", "a brand new password", kStart + 1));
    EXPECT_EQ(authenticate_error(session.token, kStart + 2), "auth.invalid");
    EXPECT_EQ(login_error("ana", kPassword, kStart + 3), "auth.invalid");
    EXPECT_EQ(login_error("ana", "a brand new password", kStart + 4), "signed in");
    EXPECT_EQ(directory_->set_password("ana", "short", kStart).error().code,
              "auth.password_policy");
    EXPECT_EQ(directory_->set_password("zed", "long enough now", kStart).error().code,
              "auth.unknown_user");
}

TEST_F(SupervisorsTest, RemovingAnAccountEndsItsSessionsAndKeepsItsHistory) {
    const NewSession session = sign_in(kStart);
    ASSERT_TRUE(directory_->remove("ana", kStart + 1));
    EXPECT_EQ(authenticate_error(session.token, kStart + 2), "auth.invalid");
    EXPECT_EQ(login_error("ana", kPassword, kStart + 3), "auth.invalid");
    EXPECT_TRUE(directory_->list()->empty());
    EXPECT_TRUE(rows("supervisor_sessions").empty());
    EXPECT_THAT(rows("supervisor_audit")[2], HasSubstr("|ana|user_removed|"));
    EXPECT_EQ(directory_->remove("ana", kStart).error().code, "auth.unknown_user");

    // The audit is append-only.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(raw, "DELETE FROM supervisor_audit", nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_NE(
        sqlite3_exec(raw, "UPDATE supervisor_audit SET detail = ''", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(raw);
}

TEST_F(SupervisorsTest, AccountsAreCheckedWhenAdded) {
    EXPECT_EQ(directory_->add("ana", "", "another password", kStart).error().code, "auth.exists");
    EXPECT_EQ(directory_->add("Ana", "", "another password", kStart).error().code, "auth.exists");
    EXPECT_EQ(directory_->add("", "", kPassword, kStart).error().code, "auth.bad_username");
    EXPECT_EQ(directory_->add("-ana", "", kPassword, kStart).error().code, "auth.bad_username");
    EXPECT_EQ(directory_->add("a b", "", kPassword, kStart).error().code, "auth.bad_username");
    EXPECT_EQ(directory_->add(std::string(65, 'a'), "", kPassword, kStart).error().code,
              "auth.bad_username");
    EXPECT_EQ(directory_->add("bo", "Bo\nB", kPassword, kStart).error().code,
              "auth.bad_display_name");
    EXPECT_EQ(directory_->add("bo", "", "too short", kStart).error().code, "auth.password_policy");
    // No display name: the user name.
    ASSERT_TRUE(directory_->add("Bo.Berg_2", "  ", kPassword, kStart));
    const auto listed = directory_->list();
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[1].username, "bo.berg_2");
    EXPECT_EQ((*listed)[1].display_name, "bo.berg_2");
}

TEST_F(SupervisorsTest, PurgingRemovesExpiredSessionsOnly) {
    const NewSession idle = sign_in(kStart);
    const NewSession busy = sign_in(kStart);
    EXPECT_EQ(authenticate_error(busy.token, kStart + 20 * kMinute), "valid");
    auto purged = directory_->purge_expired(kStart + 31 * kMinute);
    ASSERT_TRUE(purged) << purged.error().to_string();
    EXPECT_EQ(*purged, 1);
    EXPECT_EQ(authenticate_error(idle.token, kStart + 31 * kMinute), "auth.invalid");
    EXPECT_EQ(authenticate_error(busy.token, kStart + 31 * kMinute), "valid");
    EXPECT_EQ(*directory_->purge_expired(kStart + 13 * kHour), 1);
    EXPECT_TRUE(rows("supervisor_sessions").empty());
}

TEST_F(SupervisorsTest, AnOldHashIsReplacedAtTheNextSignIn) {
    // An account whose hash was made with weaker parameters (an older hub).
    const std::string password = "an older account";
    const std::string old_hash = packline::testing::old_argon2id_hash(password);
    ASSERT_FALSE(old_hash.empty());
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    const std::string insert =
        "INSERT INTO supervisors VALUES ('old', 'Old', '" + old_hash + "', 1, 1, 0)";
    ASSERT_EQ(sqlite3_exec(raw, insert.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);

    EXPECT_EQ(login_error("old", password, kStart), "signed in");
    const auto accounts = rows("supervisors");
    ASSERT_EQ(accounts.size(), 2u);
    EXPECT_THAT(accounts[1], HasSubstr("$argon2id$v=19$m=19456,t=2,p=1$"));
    EXPECT_EQ(login_error("old", password, kStart + 1), "signed in");
}

TEST_F(SupervisorsTest, AnyThreadMayUseTheDirectory) {
    const NewSession session = sign_in(kStart);
    std::vector<std::thread> threads;
    std::array<int, 4> valid{};
    for (std::size_t index = 0; index < valid.size(); ++index)
        threads.emplace_back([&, index] {
            for (int round = 0; round < 25; ++round)
                if (directory_->authenticate(session.token, kStart + round * kMinute))
                    ++valid[index];
        });
    threads.emplace_back([&] {
        for (int round = 0; round < 3; ++round)
            (void)directory_->login("ana", kPassword, "10.0.0.8", kStart + round);
    });
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_THAT(valid, ElementsAre(25, 25, 25, 25));
    EXPECT_EQ(rows("supervisor_sessions").size(), 4u);
}

TEST_F(SupervisorsTest, TheDatabaseIsTheHubsOwn) {
    // The directory migrated a new file; the hub opens it as its own.
    directory_.reset();
    auto store = HubStore::open(path_, kStart);
    ASSERT_TRUE(store) << store.error().to_string();
    EXPECT_EQ(*(*store)->schema_version(), HubStore::latest_schema_version());
    auto reopened = SupervisorDirectory::open(path_, SupervisorSettings{}, kStart);
    ASSERT_TRUE(reopened);
    EXPECT_EQ((*reopened)->list()->size(), 1u);
    EXPECT_FALSE(SupervisorDirectory::open(path_, SupervisorSettings{0, 30}, kStart));
}

}  // namespace
}  // namespace packline::hub
