#pragma once

#include <Poco/Types.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// Whether the SMTP client switches to TLS with STARTTLS (setting mail.starttls).
enum class StartTlsMode
{
    Auto,     ///< when the relay's EHLO offers STARTTLS; plain otherwise
    Required, ///< always: a relay that does not offer it gets no mail (the attempt fails and is retried)
    Off,      ///< never (a relay on loopback, or one that offers STARTTLS with a certificate nobody checks)
};

/// The relay and the sender (settings mail.smtp.*, mail.sender, mail.starttls).
struct SmtpOptions
{
    std::string host; ///< empty: mail is off (nothing is queued or sent)
    Poco::UInt16 port = 25;
    std::string username; ///< with a password: AUTH PLAIN (or LOGIN) after EHLO (and after STARTTLS)
    std::string password;
    std::string sender = "captrack@localhost"; ///< the From and envelope sender
    StartTlsMode startTls = StartTlsMode::Auto;
    std::string caFile;       ///< PEM certificates trusted besides the system's CAs (a private relay's), or empty
    long timeoutSeconds = 30; ///< each SMTP exchange; a relay slower than this counts as down
};

/// When lead digests are queued (settings mail.digest.*).
struct DigestOptions
{
    int weekday = 1; ///< 1 Monday .. 7 Sunday (mail.digest.weekday)
    int hourUtc = 6; ///< 0..23 (mail.digest.hour_utc)
    /// When > 0, a digest period of this many seconds from the epoch instead of the week (tests and
    /// trials: mail.digest.period_seconds).
    long periodSeconds = 0;
};

/// Reminders by e-mail (docs/OPERATING-mail.md).
struct MailOptions
{
    SmtpOptions smtp;
    DigestOptions digest;
    std::string webBaseUrl = "http://127.0.0.1:8080"; ///< links in mails: <base>/#/projects/<id>
    long pollSeconds = 30;  ///< how often the worker looks for digests to queue and mail to send
    long retrySeconds = 60; ///< the first retry's delay; doubled per failure, at most MAX_RETRY_SECONDS
    static constexpr long MAX_RETRY_SECONDS = 3600;

    [[nodiscard]] bool enabled() const { return !smtp.host.empty(); }
};

/// "monday" .. "sunday" for 1 .. 7 (the settings' and the API's spelling).
[[nodiscard]] const char* weekdayName(int weekday);
/// 1 .. 7 for "monday" .. "sunday" (any case); nullopt for anything else.
[[nodiscard]] std::optional<int> weekdayNumber(const std::string& name);
/// "auto", "required", "off".
[[nodiscard]] const char* startTlsName(StartTlsMode mode);
/// The mode of a name of startTlsName (any case); nullopt for anything else.
[[nodiscard]] std::optional<StartTlsMode> startTlsMode(const std::string& name);

} // namespace captrack::service
