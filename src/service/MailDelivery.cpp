#include "captrack/service/MailDelivery.h"

#include "captrack/domain/Clock.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/service/MailOutbox.h"
#include "captrack/storage/MailStore.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace captrack::service
{

MailDelivery::MailDelivery(storage::Database& database, const domain::Clock& clock, MailRelay& relay, long retrySeconds,
                           std::string holder)
    : _database(database), _clock(clock), _relay(relay), _retrySeconds(std::max(1L, retrySeconds)),
      _holder(std::move(holder))
{
}

Poco::Int64 MailDelivery::retryDelay(Poco::Int64 attempts) const
{
    Poco::Int64 delay = _retrySeconds;
    for (Poco::Int64 i = 1; i < attempts && delay < MailOptions::MAX_RETRY_SECONDS; ++i)
        delay *= 2;
    return std::min<Poco::Int64>(delay, MailOptions::MAX_RETRY_SECONDS);
}

namespace
{
/// Why a claimed mail is not to be sent now, or none.
std::optional<std::string> notForNow(const storage::ClaimedMailRow& mail)
{
    if (mail.disabled)
        return std::string("the user is disabled");
    if (!mail.reminders)
        return std::string("the user opted out");
    if (!mail.email || mail.email->empty())
        return std::string("the user has no address");
    if (mail.kind == mailKind::SNAPSHOT && mail.role != domain::nameText(domain::Role::Reviewer))
        return std::string("the user is no longer a reviewer");
    if (mail.role == domain::nameText(domain::Role::Partner))
        return std::string("the user is a partner");
    return std::nullopt;
}
} // namespace

DeliveryRound MailDelivery::deliverDue()
{
    auto& log = Poco::Logger::get("captrack.mail");
    DeliveryRound round;
    auto pLease = _database.lease();
    auto& session = pLease->session();
    const Poco::Int64 now = static_cast<Poco::Int64>(_clock.now().epochTime());
    for (const Poco::Int64 id : storage::MailStore::dueIds(session, now, BATCH))
    {
        const auto claimed = storage::MailStore::claim(session, id, _holder, now, now + LEASE_SECONDS);
        if (!claimed)
            continue; // another server's now
        // Queued mail may wait for days while the relay is down: it goes only to a user who still gets
        // this kind of mail, at their address of now (a reviewer made a partner must not receive every
        // partner's figures queued for the reviewer).
        if (const auto reason = notForNow(*claimed))
        {
            storage::MailStore::markDropped(session, id, _holder, domain::rfc3339(_clock.now()), *reason);
            log.information("mail %Ld (%s %s) to user %Ld not sent: %s", id, claimed->kind, claimed->periodKey,
                            claimed->userId, *reason);
            continue;
        }
        try
        {
            _relay.send({*claimed->email, claimed->subject, claimed->body, claimed->kind, claimed->periodKey});
        }
        catch (const Poco::Exception& e)
        {
            const Poco::Int64 attempts = claimed->attempts + 1;
            storage::MailStore::markFailed(session, id, _holder, now + retryDelay(attempts), e.displayText());
            log.warning("mail %Ld (%s %s to user %Ld) not sent, attempt %Ld, retried in %Ld s: %s", id, claimed->kind,
                        claimed->periodKey, claimed->userId, attempts, retryDelay(attempts), e.displayText());
            ++round.failed;
            break; // the relay is likely down: the rest waits for the next round rather than time out too
        }
        storage::MailStore::markSent(session, id, _holder, domain::rfc3339(_clock.now()));
        log.information("mail %Ld (%s %s) sent to user %Ld", id, claimed->kind, claimed->periodKey, claimed->userId);
        ++round.sent;
    }
    return round;
}

} // namespace captrack::service
