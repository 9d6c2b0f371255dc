#include "captrack/service/MailOutbox.h"

#include "captrack/storage/MailStore.h"

namespace captrack::service
{

namespace
{
storage::OutgoingMailRow rowFor(const storage::MailRecipientRow& to, const domain::Clock& clock,
                                const std::string& kind, const std::string& periodKey, const std::string& subject,
                                const std::string& body)
{
    const Poco::Timestamp at = clock.now();
    return {to.userId,
            to.email,
            kind,
            periodKey,
            subject,
            body,
            domain::rfc3339(at),
            static_cast<Poco::Int64>(at.epochTime())};
}
} // namespace

MailOutbox::MailOutbox(const domain::Clock& clock, bool enabled) : _clock(clock), _enabled(enabled) {}

bool MailOutbox::enqueue(Poco::Data::Session& session, Poco::Int64 userId, const std::string& kind,
                         const std::string& periodKey, const std::string& subject, const std::string& body) const
{
    if (!_enabled)
        return false;
    const auto to = storage::MailStore::recipient(session, userId);
    return to && storage::MailStore::enqueue(session, rowFor(*to, _clock, kind, periodKey, subject, body));
}

std::size_t MailOutbox::enqueueToReviewers(Poco::Data::Session& session, const std::string& kind,
                                           const std::string& periodKey, const std::string& subject,
                                           const std::string& body) const
{
    if (!_enabled)
        return 0;
    std::size_t queued = 0;
    for (const auto& to : storage::MailStore::recipients(session, domain::Role::Reviewer, false))
        if (storage::MailStore::enqueue(session, rowFor(to, _clock, kind, periodKey, subject, body)))
            ++queued;
    return queued;
}

} // namespace captrack::service
