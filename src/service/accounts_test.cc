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
// The address key groups a network, not an address: one /24 (IPv4, also written IPv4-mapped) or
// one /48 (IPv6) is one key; the next network is another; the key depends on the server's secret.
TEST(RegistrationLimits, AddressKeysGroupANetworkPrefix) {
  const std::string k = AddressKey("203.0.113.9", "geheim");
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(AddressKey("203.0.113.250", "geheim"), k);
  EXPECT_EQ(AddressKey("::ffff:203.0.113.7", "geheim"), k);
  EXPECT_NE(AddressKey("203.0.114.9", "geheim"), k);
  EXPECT_NE(AddressKey("203.0.113.9", "ander geheim"), k);
  EXPECT_EQ(AddressKey("2001:db8:aa:1::1", "geheim"), AddressKey("2001:db8:aa:ffff::2", "geheim"));
  EXPECT_NE(AddressKey("2001:db8:aa::1", "geheim"), AddressKey("2001:db8:ab::1", "geheim"));
  EXPECT_EQ(AddressKey("not an address", "geheim").size(), 64u);
}

// BLAKE2b-256 with leading zero bits; a solution is checked once, and a challenge is signed.
TEST(RegistrationLimits, AChallengeIsSolvedCheckedOnceAndCannotBeForged) {
  ManualClock clock{TimePoint{} + std::chrono::hours(24 * 365 * 50)};
  AccountOptions o;
  o.register_pow_bits = 10;
  Accounts accounts(clock, o);
  RegistrationChallenge ch = accounts.NewRegistrationChallenge();
  EXPECT_EQ(ch.bits, 10);
  std::string nonce = SolveProofOfWork(ch.salt, ch.bits);
  EXPECT_GE(ProofOfWorkBits(ch.salt, nonce), 10);
  EXPECT_TRUE(accounts.CheckRegistrationProof(ch.token, nonce).ok());
  // Another process's key (a restart) does not know it.
  Accounts other(clock, o);
  EXPECT_EQ(other.CheckRegistrationProof(ch.token, nonce).message().rfind("pow_challenge: not a challenge", 0), 0u);
  ASSERT_TRUE(accounts.UseRegistrationChallenge(ch.token).ok());
  EXPECT_EQ(accounts.CheckRegistrationProof(ch.token, nonce).message().rfind("pow_challenge: used already", 0), 0u);
  EXPECT_FALSE(accounts.UseRegistrationChallenge(ch.token).ok());
  // Without a proof asked, none is needed.
  Accounts open(clock, AccountOptions{});
  EXPECT_TRUE(open.CheckRegistrationProof("", "").ok());
}

// Two server processes with the deployment's secret accept each other's challenges (issue 16's two
// instances behind one balancer); a process with another secret, or none, does not.
TEST(RegistrationLimits, ProcessesSharingTheSecretAcceptEachOthersChallenges) {
  ManualClock clock{TimePoint{} + std::chrono::hours(24 * 365 * 50)};
  AccountOptions o;
  o.register_pow_bits = 8;
  o.pow_secret = "de geheime sleutel van deze gemeente";
  Accounts first(clock, o);
  Accounts second(clock, o);
  RegistrationChallenge ch = first.NewRegistrationChallenge();
  std::string nonce = SolveProofOfWork(ch.salt, ch.bits);
  EXPECT_TRUE(second.CheckRegistrationProof(ch.token, nonce).ok());
  AccountOptions other_secret = o;
  other_secret.pow_secret = "een andere sleutel";
  Accounts third(clock, other_secret);
  EXPECT_EQ(third.CheckRegistrationProof(ch.token, nonce).message().rfind("pow_challenge: not a challenge", 0), 0u);
  AccountOptions none = o;
  none.pow_secret.clear();
  Accounts fourth(clock, none);
  EXPECT_FALSE(fourth.CheckRegistrationProof(ch.token, nonce).ok());
}

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
