#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/DigestSchedule.h"
#include "captrack/service/LeadWorklist.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/MailStore.h"

#include <optional>
#include <string>
#include <vector>

namespace captrack::service
{

/// A milestone that slipped since the last digest: its due day then and now.
struct SlippedMilestone
{
    storage::LeadMilestoneRow milestone;
    std::string dueBefore; ///< YYYY-MM-DD at the previous period's start
    long slipDays = 0;     ///< due now − due before, > 0
};

/// What a lead's digest says (docs/OPERATING-mail.md "What is sent, when").
struct DigestContent
{
    domain::Date asOf = domain::Date::fromDays(0);
    std::string since;                 ///< the previous period's start, RFC 3339
    std::vector<WorklistItem> overdue; ///< as "needs your update" lists them
    std::vector<WorklistItem> dueSoon; ///< due within the look-ahead
    std::vector<SlippedMilestone> slipped;
    long lookAheadDays = 0;

    /// Different milestones listed (one both due soon and slipped counts once).
    [[nodiscard]] std::size_t milestoneCount() const;
};

/// A digest as mailed.
struct DigestMail
{
    std::string subject;
    std::string body; ///< plain text, UTF-8, lines ending in LF
};

/// Builds and queues each lead's reminder digest: the open milestones of the projects they lead that
/// are overdue or due within the look-ahead (LeadWorklist, the list of GET /api/v1/me/needs-update,
/// without the merely untouched ones), and those whose due day moved later since the previous
/// period's start (milestone_history). Stateless apart from references: safe for concurrent use.
class LeadDigest
{
public:
    LeadDigest(storage::Database& database, const domain::Clock& clock, const LeadWorklist& worklist,
               std::string webBaseUrl);

    /// The lead's digest for the period as of the clock's today.
    [[nodiscard]] DigestContent content(const storage::MailRecipientRow& lead, const DigestPeriod& period) const;
    /// The mail of a digest; nullopt when it lists nothing (no mail is better than an empty one).
    [[nodiscard]] std::optional<DigestMail> mail(const storage::MailRecipientRow& lead,
                                                 const DigestContent& content) const;
    /// Queues the period's digest of every lead that gets mail and has something to read, once per lead
    /// and period across servers and restarts (MailOutbox); returns how many this call queued.
    std::size_t queueAll(const DigestPeriod& period) const;

private:
    [[nodiscard]] std::vector<SlippedMilestone> slipped(Poco::Int64 leadUserId, const DigestPeriod& period) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    const LeadWorklist& _worklist;
    std::string _webBaseUrl;
};

} // namespace captrack::service
