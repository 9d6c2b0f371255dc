#include "captrack/service/MailRelay.h"

#include "captrack/Version.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <mutex>
#include <sstream>

namespace captrack::service
{

namespace
{
/// A client context that checks the relay's certificate against the system's CAs (and caFile) and its name.
Poco::Net::Context::Ptr clientContext(const std::string& caFile)
{
    Poco::Net::Context::Ptr pContext =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, caFile, Poco::Net::Context::VERIFY_RELAXED, 9, true);
    static std::once_flag once;
    std::call_once(once, [&pContext] {
        // Without this, the SSLManager would build its handlers from the application's configuration, and
        // Poco's default for a certificate that fails the check asks on the console: a server must refuse.
        Poco::Net::SSLManager::instance().initializeClient(nullptr, new Poco::Net::RejectCertificateHandler(false),
                                                           pContext);
    });
    return pContext;
}

/// EHLO, returning the relay's answer (the extensions it offers).
std::string ehlo(Poco::Net::SMTPClientSession& session)
{
    std::string answer;
    const int status = session.sendCommand("EHLO", Poco::Net::DNS::hostName(), answer);
    if (status / 100 != 2)
        throw Poco::Net::SMTPException("the relay refused EHLO", answer, status);
    return answer;
}

/// An SMTP session that can switch to TLS on a socket it was given (Poco's SecureSMTPClientSession checks
/// the certificate's name only when it connected itself, which leaves no connect timeout).
class RelaySession : public Poco::Net::SMTPClientSession
{
public:
    using Poco::Net::SMTPClientSession::SMTPClientSession;

    void startTls(const std::string& host, const Poco::Net::Context::Ptr& pTls)
    {
        std::string answer;
        const int status = sendCommand("STARTTLS", answer);
        if (status / 100 != 2)
            throw Poco::Net::SMTPException("the relay refused STARTTLS", answer, status);
        socket() = Poco::Net::SecureStreamSocket::attach(socket(), host, pTls);
    }
};

void authenticate(Poco::Net::SMTPClientSession& session, const SmtpOptions& options, const std::string& extensions)
{
    // login(method, ...) greets again with EHLO before AUTH: harmless, and after STARTTLS required anyway.
    const auto methods = ehloExtension(extensions, "AUTH");
    const bool plain = methods && (" " + Poco::toUpper(*methods) + " ").find(" PLAIN ") != std::string::npos;
    session.login(plain ? Poco::Net::SMTPClientSession::AUTH_PLAIN : Poco::Net::SMTPClientSession::AUTH_LOGIN,
                  options.username, options.password);
}

void fillMessage(Poco::Net::MailMessage& message, const SmtpOptions& options, const MailEnvelope& mail)
{
    message.setSender(options.sender);
    message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
    message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
    message.set("X-Mailer", std::string("captrack/") + VERSION);
    message.set("X-Captrack-Kind", mail.kind);
    message.set("X-Captrack-Period", mail.periodKey);
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(mail.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}
} // namespace

std::optional<std::string> ehloExtension(const std::string& ehloAnswer, const std::string& keyword)
{
    std::istringstream lines(ehloAnswer);
    std::string line;
    while (std::getline(lines, line))
    {
        // "250-STARTTLS", "250 AUTH PLAIN LOGIN": the code, a separator, then the extension's keyword.
        if (line.size() < 4)
            continue;
        const std::string extension = Poco::trim(line.substr(4));
        const std::string word = extension.substr(0, extension.find(' '));
        if (Poco::icompare(word, keyword) == 0)
            return word.size() < extension.size() ? Poco::trim(extension.substr(word.size())) : std::string();
    }
    return std::nullopt;
}

bool ehloOffers(const std::string& ehloAnswer, const std::string& keyword)
{
    return ehloExtension(ehloAnswer, keyword).has_value();
}

bool useStartTls(StartTlsMode mode, bool offered)
{
    switch (mode)
    {
    case StartTlsMode::Off:
        return false;
    case StartTlsMode::Auto:
        return offered;
    case StartTlsMode::Required:
        if (!offered)
            throw Poco::Net::SMTPException("mail.starttls is required and the relay does not offer STARTTLS");
        return true;
    }
    return false;
}

SmtpRelay::SmtpRelay(SmtpOptions options) : _options(std::move(options)), _pTls(clientContext(_options.caFile)) {}

void SmtpRelay::send(const MailEnvelope& mail)
{
    const Poco::Timespan timeout(_options.timeoutSeconds, 0);
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(_options.host, _options.port), timeout);
    RelaySession session(socket);
    session.setTimeout(timeout);
    session.open();
    std::string extensions = ehlo(session);
    if (useStartTls(_options.startTls, ehloOffers(extensions, "STARTTLS")))
    {
        session.startTls(_options.host, _pTls);
        extensions = ehlo(session); // RFC 3207: forget what was offered before TLS
    }
    if (!_options.username.empty())
        authenticate(session, _options, extensions);
    Poco::Net::MailMessage message;
    fillMessage(message, _options, mail);
    session.sendMessage(message);
    session.close();
}

} // namespace captrack::service
