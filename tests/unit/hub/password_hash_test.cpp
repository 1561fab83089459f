// Supervisor passwords: Argon2id with today's parameters, a fresh salt each
// time, verification, and the policy (length in characters, a byte limit,
// UTF-8).
#include "packline/hub/password_hash.h"

#include <argon2.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "old_password_hash.h"

namespace packline::hub {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
    const auto hash = hash_password("correct horse battery");
    ASSERT_TRUE(hash) << hash.error().to_string();
    EXPECT_THAT(*hash, StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
    EXPECT_THAT(*hash, Not(HasSubstr("correct horse")));
    EXPECT_TRUE(password_hash_is_current(*hash));

    auto right = verify_password("correct horse battery", *hash);
    ASSERT_TRUE(right) << right.error().to_string();
    EXPECT_TRUE(*right);
    EXPECT_FALSE(*verify_password("correct horse batterY", *hash));
    EXPECT_FALSE(*verify_password("", *hash));
    EXPECT_FALSE(*verify_password(std::string(5000, 'x'), *hash));

    // A new salt every time: the same password never gives the same string.
    const auto again = hash_password("correct horse battery");
    ASSERT_TRUE(again);
    EXPECT_NE(*again, *hash);
    EXPECT_TRUE(*verify_password("correct horse battery", *again));
}

TEST(PasswordHash, AHashWithOtherParametersStillVerifiesButIsNotCurrent) {
    const std::string password = "an older account";
    const std::string old_hash = packline::testing::old_argon2id_hash(password);
    ASSERT_FALSE(old_hash.empty());
    EXPECT_TRUE(*verify_password(password, old_hash));
    EXPECT_FALSE(password_hash_is_current(old_hash));
}

TEST(PasswordHash, AnUnreadableHashIsAnErrorNotAMismatch) {
    const auto verified = verify_password("correct horse battery", "$argon2id$garbage");
    ASSERT_FALSE(verified);
    EXPECT_EQ(verified.error().code, "auth.hash");
}

TEST(PasswordHash, ThePolicyCountsCharactersAndBoundsBytes) {
    EXPECT_TRUE(check_password_policy("0123456789"));
    const auto short_one = check_password_policy("012345678");
    ASSERT_FALSE(short_one);
    EXPECT_EQ(short_one.error().code, "auth.password_policy");
    EXPECT_THAT(short_one.error().message, HasSubstr("10 characters"));
    EXPECT_THAT(short_one.error().message, Not(HasSubstr("012345678")));

    // Characters, not bytes: nine two-byte letters are 18 bytes but too short.
    std::string nine;
    for (int index = 0; index < 9; ++index)
        nine += "\xc3\xa4";  // ä
    const std::string ten = nine + "\xc3\xa4";
    EXPECT_FALSE(check_password_policy(nine));
    EXPECT_TRUE(check_password_policy(ten));
    EXPECT_TRUE(*verify_password(ten, *hash_password(ten)));

    EXPECT_TRUE(check_password_policy(std::string(1024, 'a')));
    const auto long_one = check_password_policy(std::string(1025, 'a'));
    ASSERT_FALSE(long_one);
    EXPECT_THAT(long_one.error().message, HasSubstr("1024 bytes"));

    const auto not_utf8 = check_password_policy("0123456789\xff");
    ASSERT_FALSE(not_utf8);
    EXPECT_THAT(not_utf8.error().message, HasSubstr("UTF-8"));
    EXPECT_FALSE(check_password_policy("0123456789\xed\xa0\x80"));  // a UTF-16 surrogate

    // hash_password applies the policy.
    const auto refused = hash_password("short");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "auth.password_policy");
}

}  // namespace
}  // namespace packline::hub
