#pragma once

#include "captrack/domain/Clock.h"

#include <Poco/Data/Session.h>

#include <string>

namespace captrack::service
{

/// What a queued message is; with its period key and its user, the message's identity.
namespace mailKind
{
inline const std::string DIGEST = "digest";     ///< a lead's reminder digest; period key: the period's start
inline const std::string SNAPSHOT = "snapshot"; ///< a published snapshot's what-changed summary
} // namespace mailKind

/// Queues e-mail in the outbox (table mail_outbox), in the caller's transaction: a message is queued
/// at most once per kind, period key and user, whatever the number of servers, retries or restarts,
/// and sent later by the mail worker (app::Mailer), never on the caller's thread. Users without an
/// address, disabled or opted out (`email_reminders` false) get nothing. When mail is off (no
/// mail.smtp.host) nothing is queued. Stateless apart from references: safe for concurrent use.
class MailOutbox
{
public:
    MailOutbox(const domain::Clock& clock, bool enabled);

    /// Queues `subject` and the plain-text UTF-8 `body` to the user's address. True when queued; false
    /// when mail is off, the user gets no mail, or this kind and period key were queued for it already.
    bool enqueue(Poco::Data::Session& session, Poco::Int64 userId, const std::string& kind,
                 const std::string& periodKey, const std::string& subject, const std::string& body) const;
    /// Queues the message to every reviewer that gets mail (for instance a published snapshot's
    /// what-changed summary, period key the snapshot's id); returns how many were queued now.
    std::size_t enqueueToReviewers(Poco::Data::Session& session, const std::string& kind, const std::string& periodKey,
                                   const std::string& subject, const std::string& body) const;

private:
    const domain::Clock& _clock;
    bool _enabled;
};

} // namespace captrack::service
