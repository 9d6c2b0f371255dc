#pragma once

#include "captrack/domain/Vocabulary.h"
#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// A message to queue in the outbox (table mail_outbox, migration 011).
struct OutgoingMailRow
{
    Poco::Int64 userId = 0;
    std::string recipient; ///< the address, as the user's row had it when queued
    std::string kind;      ///< what the message is: "digest", "snapshot" ...
    std::string periodKey; ///< with kind and user: the message's identity (at most one row each)
    std::string subject;
    std::string body;
    std::string createdAt;     ///< RFC 3339
    Poco::Int64 notBefore = 0; ///< epoch seconds: the first attempt's time
};

/// A queued message that a worker has claimed, to send.
struct ClaimedMailRow
{
    Poco::Int64 id = 0;
    Poco::Int64 userId = 0;
    std::string recipient, kind, periodKey, subject, body;
    Poco::Int64 attempts = 0; ///< failed attempts so far
    /// The user as the users table has it now (not when the mail was queued): MailDelivery sends only
    /// to a user who still gets this kind of mail, at the address they have now.
    std::optional<std::string> email;
    std::string role;
    bool disabled = false;
    bool reminders = false;
};

/// A row of the outbox as an admin reads it (never the body).
struct OutboxRow
{
    Poco::Int64 id = 0;
    Poco::Int64 userId = 0;
    std::string recipient, kind, periodKey, subject, createdAt;
    Poco::Int64 attempts = 0;
    Poco::Int64 nextAttemptAt = 0; ///< epoch seconds
    std::optional<std::string> sentAt, lastError;
};

/// Which rows of the outbox a list shows.
enum class OutboxState
{
    Any,
    Unsent,
    Sent,
};

/// A user to write to: enabled, with an address, not opted out of reminders.
struct MailRecipientRow
{
    Poco::Int64 userId = 0;
    std::string username;
    std::string displayName;
    domain::Role role = domain::Role::Reviewer;
    std::string email;
};

/// An open milestone of a lead's project, for a digest.
struct LeadMilestoneRow
{
    Poco::Int64 milestoneId = 0;
    Poco::Int64 projectId = 0;
    std::string projectCode;
    std::string title;
    std::string due; ///< YYYY-MM-DD
};

/// Tables mail_outbox and the users' mail columns (migration 011). Each call runs on the caller's
/// session, so in its transaction, and throws the driver's exceptions. Stateless: safe for concurrent use.
class MailStore
{
public:
    /// Queues a message unless one of its kind, period key and user is queued already (by this or any
    /// other server, before or now: the UNIQUE key decides). True when this call queued it.
    static bool enqueue(Poco::Data::Session& session, const OutgoingMailRow& mail);
    /// Ids of unsent messages due at `nowSeconds` (epoch seconds) whose lease is free or expired, oldest first.
    [[nodiscard]] static std::vector<Poco::Int64> dueIds(Poco::Data::Session& session, Poco::Int64 nowSeconds,
                                                         std::size_t limit);
    /// Claims one message for `holder` until `until` when it is still unsent, due and unclaimed (one
    /// conditional UPDATE: of two servers claiming it at once, one wins); the message when claimed.
    [[nodiscard]] static std::optional<ClaimedMailRow> claim(Poco::Data::Session& session, Poco::Int64 id,
                                                             const std::string& holder, Poco::Int64 nowSeconds,
                                                             Poco::Int64 until);
    /// Marks a claimed message sent at `sentAt` (RFC 3339) and frees its lease.
    static void markSent(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                         const std::string& sentAt);
    /// Counts a failed attempt, keeps the relay's answer and frees the lease until `nextAttemptAt`.
    /// Ends a claimed row without sending it (its user no longer gets it): marked sent, with the reason
    /// as its last error, so that no server takes it again.
    static void markDropped(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                            const std::string& at, const std::string& reason);
    static void markFailed(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                           Poco::Int64 nextAttemptAt, const std::string& error);
    /// A page of the outbox, newest first, and how many rows the state holds in all.
    [[nodiscard]] static std::pair<std::vector<OutboxRow>, Poco::Int64> page(Poco::Data::Session& session,
                                                                             OutboxState state, std::size_t limit,
                                                                             std::size_t offset);
    /// Deletes the messages sent before `at` (RFC 3339); returns how many.
    static std::size_t purgeSentBefore(Poco::Data::Session& session, const std::string& at);
    /// The users of `role` to write to (enabled, with an address, reminders on), by id; with
    /// `leadsOnly`, only those who lead at least one project.
    [[nodiscard]] static std::vector<MailRecipientRow> recipients(Poco::Data::Session& session,
                                                                  std::optional<domain::Role> role, bool leadsOnly);
    /// The user to write to, when it is enabled, has an address and has reminders on.
    [[nodiscard]] static std::optional<MailRecipientRow> recipient(Poco::Data::Session& session, Poco::Int64 userId);
    /// The open milestones (neither done nor cancelled) of the projects `leadUserId` leads, by project
    /// code and id, with their due day (forecast, else baseline).
    [[nodiscard]] static std::vector<LeadMilestoneRow> openMilestonesOfLead(Poco::Data::Session& session,
                                                                            Poco::Int64 leadUserId);
    /// The due day (forecast, else baseline) that each milestone of the projects `leadUserId` leads had
    /// at `at` (RFC 3339), from its last milestone_history row at or before then; milestones created
    /// later are absent.
    [[nodiscard]] static std::map<Poco::Int64, std::string> dueDaysAt(Poco::Data::Session& session,
                                                                      Poco::Int64 leadUserId, const std::string& at);
};

} // namespace captrack::storage
