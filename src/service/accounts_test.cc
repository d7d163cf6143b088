// Login throttling, its memory bound, and the weak-password check (hostile input findings 6 to 9).
#include "service/accounts.h"

#include <gtest/gtest.h>

namespace weefsel::service {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  ManualClock clock_{TimePoint{} + std::chrono::hours(24 * 365 * 50)};
  Accounts accounts_{clock_, AccountOptions{}};
};

// Finding 7: five wrong passwords from one address locked the account for every address.
TEST_F(AccountsTest, AnAttackerCannotLockAnAccountForEveryoneElse) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(accounts_.CheckLoginAllowed("42", "203.0.113.9").ok());
    accounts_.RecordLoginFailure("42", "203.0.113.9");
  }
  // The attacker's own address is refused for this account ...
  EXPECT_EQ(accounts_.CheckLoginAllowed("42", "203.0.113.9").code(), StatusCode::kResourceExhausted);
  // ... the owner at home is not, and the attacker may still sign in to other accounts.
  EXPECT_TRUE(accounts_.CheckLoginAllowed("42", "198.51.100.7").ok());
  EXPECT_TRUE(accounts_.CheckLoginAllowed("43", "203.0.113.9").ok());
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_TRUE(accounts_.CheckLoginAllowed("42", "203.0.113.9").ok());
}

TEST_F(AccountsTest, ManyAddressesGuessingOneAccountAreSlowedByADelayNotALockOut) {
  accounts_.RecordLoginSuccess("42", "198.51.100.7");  // the owner's usual address
  for (int i = 0; i < 12; ++i) accounts_.RecordLoginFailure("42", "203.0.113." + std::to_string(i));
  // 12 failures, 2 over the threshold: a fresh address waits 4 s after the last failure.
  Status s = accounts_.CheckLoginAllowed("42", "192.0.2.1");
  ASSERT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("try again in 4 s"), std::string::npos) << s.message();
  clock_.Advance(std::chrono::seconds(4));
  EXPECT_TRUE(accounts_.CheckLoginAllowed("42", "192.0.2.1").ok());
  // The delay doubles per failure and stops at the maximum.
  for (int i = 0; i < 30; ++i) accounts_.RecordLoginFailure("42", "203.0.114." + std::to_string(i));
  s = accounts_.CheckLoginAllowed("42", "192.0.2.1");
  EXPECT_NE(s.message().find("try again in 60 s"), std::string::npos) << s.message();
  // The owner's known address is not slowed down.
  EXPECT_TRUE(accounts_.CheckLoginAllowed("42", "198.51.100.7").ok());
}

TEST_F(AccountsTest, OneAddressGuessingManyAccountsIsRefused) {
  for (int i = 0; i < 20; ++i) accounts_.RecordLoginFailure("", "203.0.113.9");
  EXPECT_EQ(accounts_.CheckLoginAllowed("", "203.0.113.9").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(accounts_.CheckLoginAllowed("42", "203.0.113.9").code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(accounts_.CheckLoginAllowed("42", "203.0.113.10").ok());
}

// Finding 9: 120k failed logins with distinct 490-character e-mails added 100 MB.
TEST(AccountsBound, FailedLoginTablesStayBounded) {
  ManualClock clock{TimePoint{} + std::chrono::hours(24 * 365 * 50)};
  AccountOptions o;
  o.max_tracked = 1000;
  Accounts accounts(clock, o);
  for (int i = 0; i < 120000; ++i) {
    // Unknown e-mail addresses (account "") from many addresses, and many real accounts.
    accounts.RecordLoginFailure(
        "", "10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256));
    accounts.RecordLoginFailure(std::to_string(i), "192.0.2.1");
    if (i % 1000 == 0) clock.Advance(std::chrono::seconds(1));
  }
  // Three bounded tables (address, pair, account) of at most max_tracked keys each.
  EXPECT_LE(accounts.TrackedKeys(), 3 * o.max_tracked);
  // The recent failures are still counted.
  EXPECT_EQ(accounts.CheckLoginAllowed("", "192.0.2.1").code(), StatusCode::kResourceExhausted);
}

// Finding 8: "        ", "12345678" and "password" were accepted.
TEST(PasswordStrength, CommonAndTrivialPasswordsAreRefusedWithAReason) {
  for (const char* weak : {"        ", "12345678", "password", "Password1", "abcdefgh", "aaaaaaaaaa", "qwertyuiop",
                           "wachtwoord", "Welkom01!", "11111111"}) {
    Status s = CheckPasswordStrength(weak, "jan@example.nl");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "'" << weak << "' was accepted";
    EXPECT_EQ(s.message().rfind("password: ", 0), 0u) << s.message();
  }
  EXPECT_NE(CheckPasswordStrength("kort", "jan@example.nl").message().find("at least 8"), std::string::npos);
  EXPECT_FALSE(CheckPasswordStrength("janssen-2026", "janssen@example.nl").ok());
  for (const char* good : {"correct horse battery", "welkom-in-utrecht", "een-goed-wachtwoord", "Tr0ub4dor&3"})
    EXPECT_TRUE(CheckPasswordStrength(good, "jan@example.nl").ok()) << good;
}

}  // namespace
}  // namespace weefsel::service
