#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/MailOptions.h"
#include "captrack/service/MailRelay.h"
#include "captrack/storage/Database.h"

#include <string>

namespace captrack::service
{

/// What one delivery round did.
struct DeliveryRound
{
    std::size_t sent = 0;
    std::size_t failed = 0; ///< left for a retry after the backoff
};

/// Sends the outbox's due messages through a relay. Each message is claimed first (a lease of
/// LEASE_SECONDS, one conditional UPDATE: of several servers, exactly one gets it), sent with no
/// transaction open, and only then marked sent; a failure counts an attempt and sets the next one
/// retrySeconds × 2^(attempts − 1) later, at most MailOptions::MAX_RETRY_SECONDS. A server that dies
/// between the relay's acceptance and the mark leaves the message to be sent again once its lease
/// expires (at least once; the relay's Message-ID-free duplicate is the price of never losing one).
/// One round runs on one thread at a time per instance; instances on several servers run together.
class MailDelivery
{
public:
    static constexpr Poco::Int64 LEASE_SECONDS = 300; ///< well above an SMTP exchange's timeouts
    static constexpr std::size_t BATCH = 50;          ///< messages claimed per round at most

    /// `holder` names this server in the leases (storage::instanceName() in the server).
    MailDelivery(storage::Database& database, const domain::Clock& clock, MailRelay& relay, long retrySeconds,
                 std::string holder);
    MailDelivery(const MailDelivery&) = delete;
    MailDelivery& operator=(const MailDelivery&) = delete;

    /// Sends what is due now; throws only what the database throws.
    DeliveryRound deliverDue();
    /// The delay before the next attempt after `attempts` failed ones (attempts ≥ 1).
    [[nodiscard]] Poco::Int64 retryDelay(Poco::Int64 attempts) const;

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    MailRelay& _relay;
    long _retrySeconds;
    std::string _holder;
};

} // namespace captrack::service
