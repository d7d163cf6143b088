#include "service/notify.h"

#include <netdb.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
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

std::string RfcDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// A connected socket with line-oriented reads and a deadline per operation.
class Connection {
 public:
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open(const SmtpOptions& o) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string where = o.host + ":" + std::to_string(o.port);
    if (int rc = ::getaddrinfo(o.host.c_str(), std::to_string(o.port).c_str(), &hints, &res); rc != 0)
      return Status::Unavailable("smtp " + where + ": " + gai_strerror(rc));
    timeout_ms_ = o.timeout_ms;
    std::string last = "no address";
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
      if (fd < 0) continue;
      if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        fd_ = fd;
        break;
      }
      last = std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(res);
    if (fd_ < 0) return Status::Unavailable("smtp " + where + ": cannot connect: " + last);
    return Status::Ok();
  }

  Status Write(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, timeout_ms_) <= 0) return Status::Unavailable("smtp: timed out while sending");
      ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return Status::Unavailable(std::string("smtp: send failed: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  // Reads one reply (possibly multi-line "250-...") and returns its code and text.
  Result<std::pair<int, std::string>> Reply() {
    std::string text;
    while (true) {
      WEEFSEL_ASSIGN_OR_RETURN(std::string line, Line());
      text += line + "\n";
      if (line.size() < 3) return Status::Internal("smtp: malformed reply '" + line + "'");
      if (line.size() == 3 || line[3] == ' ') {
        auto code = ParseInt(line.substr(0, 3));
        if (!code) return Status::Internal("smtp: malformed reply '" + line + "'");
        return std::make_pair(static_cast<int>(*code), text);
      }
    }
  }

 private:
  Result<std::string> Line() {
    while (true) {
      size_t eol = buffer_.find("\r\n");
      if (eol != std::string::npos) {
        std::string line = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 2);
        return line;
      }
      if (buffer_.size() > 64 * 1024) return Status::Internal("smtp: reply line too long");
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms_) <= 0) return Status::Unavailable("smtp: timed out waiting for the server");
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return Status::Unavailable("smtp: the server closed the connection");
      buffer_.append(buf, static_cast<size_t>(n));
    }
  }

  int fd_ = -1;
  int timeout_ms_ = 10000;
  std::string buffer_;
};

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

Status SmtpSender::Send(const MailMessage& message) const {
  for (const std::string* s : {&message.to, &options_.from})
    if (s->empty() || s->find_first_of("\r\n<>") != std::string::npos || s->find('@') == std::string::npos)
      return Status::InvalidArgument("smtp: not a valid address: '" + *s + "'");
  Connection c;
  WEEFSEL_RETURN_IF_ERROR(c.Open(options_));
  auto expect = [&](int want, const std::string& step) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(auto reply, c.Reply());
    if (reply.first != want)
      return Status::Internal("smtp " + step + ": expected " + std::to_string(want) + ", got " +
                              std::string(Trim(reply.second)));
    return Status::Ok();
  };
  auto command = [&](const std::string& line, int want, const std::string& step) -> Status {
    WEEFSEL_RETURN_IF_ERROR(c.Write(line + "\r\n"));
    return expect(want, step);
  };
  WEEFSEL_RETURN_IF_ERROR(expect(220, "greeting"));
  WEEFSEL_RETURN_IF_ERROR(command("EHLO " + options_.helo, 250, "EHLO"));
  WEEFSEL_RETURN_IF_ERROR(command("MAIL FROM:<" + options_.from + ">", 250, "MAIL FROM"));
  WEEFSEL_RETURN_IF_ERROR(command("RCPT TO:<" + message.to + ">", 250, "RCPT TO"));
  WEEFSEL_RETURN_IF_ERROR(command("DATA", 354, "DATA"));

  std::string data;
  data += "From: weefsel <" + options_.from + ">\r\n";
  data += "To: " + (message.to_name.empty() ? "" : HeaderText(message.to_name) + " ") + "<" + message.to + ">\r\n";
  data += "Subject: " + HeaderText(message.subject) + "\r\n";
  data += "Date: " + RfcDate() + "\r\n";
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
  for (size_t i = 0; i < b64.size(); i += 76) data += b64.substr(i, 76) + "\r\n";  // never starts with '.'
  data += ".\r\n";
  WEEFSEL_RETURN_IF_ERROR(c.Write(data));
  WEEFSEL_RETURN_IF_ERROR(expect(250, "end of DATA"));
  (void)command("QUIT", 221, "QUIT");  // the message is accepted; a rude goodbye changes nothing
  return Status::Ok();
}

}  // namespace weefsel::service
