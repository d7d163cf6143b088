// libFuzzer target: the API's request bodies (http/json_codec.h): the depth check, the parser and
// every decoder a handler uses (Apply for each entity, DecodeBallot), then the entity's own
// validation and its JSON encoding. Any input gives a value or a clean error, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/json_codec.h"

namespace {

template <typename T>
void Decode(const weefsel::http::Json& j) {
  T v{};
  weefsel::Status s = weefsel::http::Apply(j, v);
  if (!s.ok() && s.message().empty()) abort();
}

template <typename T>
void DecodeAndEncode(const weefsel::http::Json& j) {
  T v{};
  weefsel::Status s = weefsel::http::Apply(j, v);
  if (!s.ok()) {
    if (s.message().empty()) abort();
    return;
  }
  (void)weefsel::domain::Validate(v);
  (void)weefsel::http::ToJson(v).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto j = weefsel::http::ParseObject(body);
  if (!j.ok()) {
    if (j.status().message().empty()) abort();
    return 0;
  }
  DecodeAndEncode<weefsel::domain::Municipality>(*j);
  DecodeAndEncode<weefsel::domain::Actor>(*j);
  DecodeAndEncode<weefsel::domain::Tie>(*j);
  DecodeAndEncode<weefsel::domain::Challenge>(*j);
  DecodeAndEncode<weefsel::domain::Round>(*j);
  DecodeAndEncode<weefsel::domain::Experiment>(*j);
  Decode<weefsel::domain::Coalition>(*j);
  Decode<weefsel::domain::ProposalVersion>(*j);
  Decode<weefsel::domain::Measurement>(*j);
  Decode<weefsel::domain::RoleGrant>(*j);
  auto ballot = weefsel::http::DecodeBallot(*j);
  if (!ballot.ok() && ballot.status().message().empty()) abort();
  (void)j->dump();
  return 0;
}
