#include "service/notify.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "base/strings.h"

namespace weefsel::service {

namespace {

struct KindLabel {
  const char* kind;
  const char* nl;
  const char* en;
};
constexpr std::array<KindLabel, 7> kKinds = {{
    {"invitation", "Uitnodigingen", "Invitations"},
    {"comment", "Reacties", "Comments"},
    {"phase", "Fasewijzigingen", "Phase changes"},
    {"result", "Uitslagen", "Results"},
    {"review", "Beoordelingen", "Reviews"},
    {"milestone", "Mijlpalen", "Milestones"},
    {"support", "Steunbetuigingen", "Supports"},
}};

std::string LabelOf(const std::string& kind, bool dutch) {
  for (const auto& k : kKinds)
    if (kind == k.kind) return dutch ? k.nl : k.en;
  return kind;
}

int KindOrder(const std::string& kind) {
  for (size_t i = 0; i < kKinds.size(); ++i)
    if (kind == kKinds[i].kind) return static_cast<int>(i);
  return static_cast<int>(kKinds.size());
}

std::string LongDate(const std::string& day, bool dutch) {
  static const char* kNl[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                              "juli",    "augustus", "september", "oktober", "november", "december"};
  static const char* kEn[] = {"January", "February", "March",     "April",   "May",      "June",
                              "July",    "August",   "September", "October", "November", "December"};
  if (!IsIsoDate(day)) return day;
  int64_t y = ParseInt(day.substr(0, 4)).value_or(0);
  int64_t m = ParseInt(day.substr(5, 2)).value_or(0);
  int64_t d = ParseInt(day.substr(8, 2)).value_or(0);
  if (m < 1 || m > 12) return day;
  return std::to_string(d) + " " + (dutch ? kNl[m - 1] : kEn[m - 1]) + " " + std::to_string(y);
}

bool IsAscii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string Base64(const std::string& bytes) {
  if (sodium_init() < 0) return "";
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// RFC 2047 encoded-word for a header value that is not plain ASCII.
std::string HeaderText(const std::string& s) { return IsAscii(s) ? s : "=?UTF-8?B?" + Base64(s) + "?="; }

std::string RfcDate(TimePoint t) {
  std::time_t now = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// libcurl is set up once per process (curl_global_init is not thread-safe).
void EnsureCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The message text curl sends after DATA, read out in pieces.
struct Upload {
  const std::string* data;
  size_t at = 0;
};

size_t ReadUpload(char* out, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data->size() - u->at);
  std::copy_n(u->data->data() + u->at, len, out);
  u->at += len;
  return len;
}

}  // namespace

std::vector<MailMessage> BuildDigests(const std::vector<NotificationEvent>& events,
                                      const std::vector<Recipient>& recipients, const DigestOptions& options) {
  std::unordered_map<int64_t, std::vector<const NotificationEvent*>> by_user;
  for (const auto& e : events)
    if (e.user.valid() && StartsWith(e.at, options.day)) by_user[e.user.value()].push_back(&e);
  std::vector<MailMessage> out;
  for (const auto& r : recipients) {
    auto it = by_user.find(r.user.value());
    if (it == by_user.end() || r.email.empty()) continue;
    bool nl = r.language != "en";
    std::map<std::pair<int, std::string>, std::vector<const NotificationEvent*>> groups;
    for (const auto* e : it->second) groups[{KindOrder(e->kind), e->kind}].push_back(e);
    size_t n = it->second.size();
    MailMessage m;
    m.to = r.email;
    m.to_name = r.name;
    std::string date = LongDate(options.day, nl);
    m.subject = nl ? "weefsel: " + std::to_string(n) + (n == 1 ? " bericht" : " berichten") + " van " + date
                   : "weefsel: " + std::to_string(n) + (n == 1 ? " update" : " updates") + " for " + date;
    std::string body = (nl ? "Beste " : "Dear ") +
                       (r.name.empty() ? std::string(nl ? "deelnemer" : "member") : r.name) + ",\n\n" +
                       (nl ? "Dit gebeurde er op " + date + " bij wat u volgt in weefsel:\n"
                           : "This is what happened on " + date + " in what you follow on weefsel:\n");
    for (auto& [key, items] : groups) {
      std::stable_sort(items.begin(), items.end(),
                       [](const NotificationEvent* a, const NotificationEvent* b) { return a->at > b->at; });
      body += "\n" + LabelOf(key.second, nl) + " (" + std::to_string(items.size()) + ")\n";
      for (size_t i = 0; i < items.size() && i < options.max_items_per_kind; ++i) {
        body += "- " + items[i]->title;
        if (!items[i]->link.empty()) body += "\n  " + options.base_url + items[i]->link;
        body += "\n";
      }
      if (items.size() > options.max_items_per_kind) {
        size_t more = items.size() - options.max_items_per_kind;
        body += (nl ? "- en nog " : "- and ") + std::to_string(more) + (nl ? " meer\n" : " more\n");
      }
    }
    body += nl ? "\nU krijgt hoogstens één bericht per dag. Meldingen instellen: " + options.base_url + "/account\n"
               : "\nYou get at most one message a day. Notification settings: " + options.base_url + "/account\n";
    m.body = std::move(body);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const MailMessage& a, const MailMessage& b) { return a.to < b.to; });
  return out;
}

Status SmtpSender::Send(const MailMessage& message) {
  for (const std::string* a : std::initializer_list<const std::string*>{&message.to, &options_.from})
    if (a->empty() || a->find_first_of("\r\n<>") != std::string::npos || a->find('@') == std::string::npos)
      return Status::InvalidArgument("smtp: not a valid address: '" + *a + "'");
  if (options_.tls != "none" && options_.tls != "starttls" && options_.tls != "smtps")
    return Status::InvalidArgument("smtp.tls: must be none, starttls or smtps, got '" + options_.tls + "'");

  std::string data;
  data += "From: weefsel <" + options_.from + ">\r\n";
  data += "To: " + (message.to_name.empty() ? "" : HeaderText(message.to_name) + " ") + "<" + message.to + ">\r\n";
  data += "Subject: " + HeaderText(message.subject) + "\r\n";
  data += "Date: " + RfcDate(clock_.Now()) + "\r\n";
  std::array<unsigned char, 12> id{};
  randombytes_buf(id.data(), id.size());
  std::string hex(id.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), id.data(), id.size());
  hex.pop_back();
  std::string domain = options_.from.substr(options_.from.find('@') + 1);
  data += "Message-ID: <" + hex + "@" + domain + ">\r\n";
  data += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n";
  data += "Auto-Submitted: auto-generated\r\n\r\n";
  std::string b64 = Base64(message.body);
  for (size_t i = 0; i < b64.size(); i += 76) data += b64.substr(i, 76) + "\r\n";

  EnsureCurl();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("smtp: cannot start libcurl");
  std::string where = options_.host + ":" + std::to_string(options_.port);
  std::string url = (options_.tls == "smtps" ? "smtps://" : "smtp://") + where + "/" + options_.helo;
  std::string from = "<" + options_.from + ">", to = "<" + message.to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt, curl_slist_free_all);
  Upload upload{&data};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  // STARTTLS is required, not hoped for: a server that does not offer it is an error, never a
  // silent fall back to plain text (which would send the password in the clear).
  if (options_.tls == "starttls") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    // PLAIN (over TLS): one clear answer to a wrong password, no fall back to other mechanisms.
    curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS, "AUTH=PLAIN");
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return Status::Ok();
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  std::string what = std::string(error[0] ? error : curl_easy_strerror(rc));
  if (reply > 0) what += " (server reply " + std::to_string(reply) + ")";
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
      return Status::Unavailable("smtp " + where + ": " + what);
    case CURLE_USE_SSL_FAILED:
      return Status::Unavailable("smtp " + where + ": the server does not offer STARTTLS (smtp.tls): " + what);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return Status::Unavailable("smtp " + where + ": TLS failed (smtp.tls, smtp.ca_file): " + what);
    case CURLE_LOGIN_DENIED:
      return Status::Internal("smtp " + where + ": the server refused the login (smtp.username): " + what);
    default:
      return Status::Internal("smtp " + where + ": " + what);
  }
}

}  // namespace weefsel::service
