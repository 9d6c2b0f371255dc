#pragma once

#include "captrack/service/MailOptions.h"

#include <Poco/Net/Context.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// One message to hand to the relay.
struct MailEnvelope
{
    std::string to;
    std::string subject;   ///< UTF-8
    std::string body;      ///< plain text, UTF-8
    std::string kind;      ///< the outbox's kind and period key, as headers X-Captrack-Kind and -Period,
    std::string periodKey; ///< so that a mail client can filter and a reader tell two periods apart
};

/// Where mail goes: an SMTP relay (SmtpRelay), or a test's fake. send() returns only once the relay
/// accepted the message and throws a Poco::Exception (network, protocol, refusal) otherwise.
class MailRelay
{
public:
    virtual ~MailRelay() = default;
    virtual void send(const MailEnvelope& mail) = 0;
};

/// Whether to send STARTTLS, given the mode and whether the relay's EHLO answer offers it;
/// Poco::Net::SMTPException when the mode requires it and the relay does not offer it.
[[nodiscard]] bool useStartTls(StartTlsMode mode, bool offered);

/// The parameters of the extension `keyword` in an EHLO answer ("PLAIN LOGIN" for AUTH), empty when it
/// has none; nullopt when the answer does not list it.
[[nodiscard]] std::optional<std::string> ehloExtension(const std::string& ehloAnswer, const std::string& keyword);
/// Whether an EHLO answer (multi-line "250-..." text) lists the extension `keyword` (e.g. "STARTTLS").
[[nodiscard]] bool ehloOffers(const std::string& ehloAnswer, const std::string& keyword);

/// The SMTP relay of the settings (Poco::Net): a connection per message; EHLO; STARTTLS when
/// useStartTls says so (then EHLO again); AUTH PLAIN or LOGIN (whichever the relay offers, PLAIN first)
/// when a username is set; one message with From the sender, its Date, `X-Mailer: captrack/<version>`,
/// X-Captrack-Kind and X-Captrack-Period, and a text/plain UTF-8 quoted-printable body. Holds only
/// options and the TLS context: safe to share between threads.
class SmtpRelay : public MailRelay
{
public:
    explicit SmtpRelay(SmtpOptions options);
    void send(const MailEnvelope& mail) override;

private:
    SmtpOptions _options;
    Poco::Net::Context::Ptr _pTls; ///< checks the relay's certificate: the system's CAs and caFile
};

} // namespace captrack::service
