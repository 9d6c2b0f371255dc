#include "captrack/storage/MailStore.h"

#include <Poco/Nullable.h>

#include "NullableColumns.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
/// Unsent, due at `now` and not claimed by anyone whose lease still runs.
const std::string CLAIMABLE =
    "sent_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)";
} // namespace

bool MailStore::enqueue(Poco::Data::Session& session, const OutgoingMailRow& mail)
{
    try
    {
        session << "INSERT INTO mail_outbox (user_id, recipient, kind, period_key, subject, body, created_at, "
                   "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            bind(mail.userId), bind(mail.recipient), bind(mail.kind), bind(mail.periodKey), bind(mail.subject),
            bind(mail.body), bind(mail.createdAt), bind(mail.notBefore), now;
        return true;
    }
    catch (const Poco::Data::DataException& e)
    {
        // The UNIQUE key (kind, period_key, user_id): queued already, here or by another server.
        if (isConstraintViolation(e))
            return false;
        throw;
    }
}

std::vector<Poco::Int64> MailStore::dueIds(Poco::Data::Session& session, Poco::Int64 nowSeconds, std::size_t limit)
{
    std::vector<Poco::Int64> ids;
    const auto rows = static_cast<Poco::Int64>(limit);
    session << "SELECT id FROM mail_outbox WHERE " + CLAIMABLE + " ORDER BY id LIMIT ?", bind(nowSeconds),
        bind(nowSeconds), bind(rows), into(ids), now;
    return ids;
}

std::optional<ClaimedMailRow> MailStore::claim(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                                               Poco::Int64 nowSeconds, Poco::Int64 until)
{
    Poco::Data::Statement update(session);
    update << "UPDATE mail_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND " + CLAIMABLE, bind(holder),
        bind(until), bind(id), bind(nowSeconds), bind(nowSeconds);
    if (update.execute() != 1)
        return std::nullopt;
    ClaimedMailRow row;
    Poco::Nullable<std::string> email;
    Poco::Int64 disabled = 0, reminders = 0;
    session << "SELECT o.id, o.user_id, o.recipient, o.kind, o.period_key, o.subject, o.body, o.attempts, u.email, "
               "u.role, u.disabled, u.email_reminders FROM mail_outbox o JOIN users u ON u.id = o.user_id "
               "WHERE o.id = ?",
        bind(id), into(row.id), into(row.userId), into(row.recipient), into(row.kind), into(row.periodKey),
        into(row.subject), into(row.body), into(row.attempts), into(email), into(row.role), into(disabled),
        into(reminders), now;
    if (!email.isNull())
        row.email = email.value();
    row.disabled = disabled != 0;
    row.reminders = reminders != 0;
    return row;
}

void MailStore::markSent(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                         const std::string& sentAt)
{
    session << "UPDATE mail_outbox SET sent_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = NULL "
               "WHERE id = ? AND claimed_by = ?",
        bind(sentAt), bind(id), bind(holder), now;
}

void MailStore::markDropped(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                            const std::string& at, const std::string& reason)
{
    session << "UPDATE mail_outbox SET sent_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL "
               "WHERE id = ? AND claimed_by = ?",
        bind(at), bind("not sent: " + reason), bind(id), bind(holder), now;
}

void MailStore::markFailed(Poco::Data::Session& session, Poco::Int64 id, const std::string& holder,
                           Poco::Int64 nextAttemptAt, const std::string& error)
{
    session << "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
               "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
        bind(nextAttemptAt), bind(error.substr(0, 1000)), bind(id), bind(holder), now;
}

namespace
{
std::string stateCondition(OutboxState state)
{
    switch (state)
    {
    case OutboxState::Any:
        return "";
    case OutboxState::Unsent:
        return " WHERE sent_at IS NULL";
    case OutboxState::Sent:
        return " WHERE sent_at IS NOT NULL";
    }
    return "";
}
} // namespace

std::pair<std::vector<OutboxRow>, Poco::Int64> MailStore::page(Poco::Data::Session& session, OutboxState state,
                                                               std::size_t limit, std::size_t offset)
{
    const std::string where = stateCondition(state);
    Poco::Int64 total = 0;
    session << "SELECT COUNT(*) FROM mail_outbox" + where, into(total), now;
    using Row = Poco::Tuple<Poco::Int64, Poco::Int64, std::string, std::string, std::string, std::string, std::string,
                            Poco::Int64, Poco::Int64, Poco::Nullable<std::string>, Poco::Nullable<std::string>>;
    std::vector<Row> rows;
    const auto rowCount = static_cast<Poco::Int64>(limit), skipped = static_cast<Poco::Int64>(offset);
    session << "SELECT id, user_id, recipient, kind, period_key, subject, created_at, attempts, next_attempt_at, "
               "sent_at, last_error FROM mail_outbox" +
                   where + " ORDER BY id DESC LIMIT ? OFFSET ?",
        bind(rowCount), bind(skipped), into(rows), now;
    std::vector<OutboxRow> out;
    for (const auto& r : rows)
        out.push_back({r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>(), r.get<6>(), r.get<7>(),
                       r.get<8>(), optionalOf(r.get<9>()), optionalOf(r.get<10>())});
    return {out, total};
}

std::size_t MailStore::purgeSentBefore(Poco::Data::Session& session, const std::string& at)
{
    Poco::Data::Statement purge(session);
    purge << "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < ?", bind(at);
    return purge.execute();
}

namespace
{
const std::string RECIPIENTS = "SELECT u.id, u.username, u.display_name, u.role, u.email FROM users u "
                               "WHERE u.disabled = 0 AND u.email_reminders = 1 AND u.email IS NOT NULL";

std::vector<MailRecipientRow> recipientRows(Poco::Data::Statement& select)
{
    std::vector<Poco::Tuple<Poco::Int64, std::string, std::string, std::string, std::string>> rows;
    select, into(rows), now;
    std::vector<MailRecipientRow> out;
    for (const auto& row : rows)
        out.push_back(
            {row.get<0>(), row.get<1>(), row.get<2>(), domain::storedValue<domain::Role>(row.get<3>()), row.get<4>()});
    return out;
}
} // namespace

std::vector<MailRecipientRow> MailStore::recipients(Poco::Data::Session& session, std::optional<domain::Role> role,
                                                    bool leadsOnly)
{
    std::string sql = RECIPIENTS;
    if (role)
        sql += " AND u.role = '" + domain::nameText(*role) + "'"; // a name of the closed set: no client text
    if (leadsOnly)
        sql += " AND EXISTS (SELECT 1 FROM projects p WHERE p.lead_user_id = u.id)";
    Poco::Data::Statement select(session);
    select << sql + " ORDER BY u.id";
    return recipientRows(select);
}

std::optional<MailRecipientRow> MailStore::recipient(Poco::Data::Session& session, Poco::Int64 userId)
{
    Poco::Data::Statement select(session);
    select << RECIPIENTS + " AND u.id = ?", bind(userId);
    auto rows = recipientRows(select);
    return rows.empty() ? std::nullopt : std::optional<MailRecipientRow>(rows.front());
}

std::vector<LeadMilestoneRow> MailStore::openMilestonesOfLead(Poco::Data::Session& session, Poco::Int64 leadUserId)
{
    std::vector<Poco::Tuple<Poco::Int64, Poco::Int64, std::string, std::string, std::string>> rows;
    session << "SELECT m.id, m.project_id, p.code, m.title, COALESCE(m.forecast_date, m.baseline_date) "
               "FROM milestones m JOIN projects p ON p.id = m.project_id "
               "WHERE p.lead_user_id = ? AND m.status NOT IN ('done', 'cancelled') ORDER BY p.code, m.id",
        bind(leadUserId), into(rows), now;
    std::vector<LeadMilestoneRow> out;
    for (const auto& row : rows)
        out.push_back({row.get<0>(), row.get<1>(), row.get<2>(), row.get<3>(), row.get<4>()});
    return out;
}

std::map<Poco::Int64, std::string> MailStore::dueDaysAt(Poco::Data::Session& session, Poco::Int64 leadUserId,
                                                        const std::string& at)
{
    std::vector<Poco::Tuple<Poco::Int64, Poco::Nullable<std::string>, Poco::Nullable<std::string>>> rows;
    // The last history row of each milestone at or before `at` holds its dates as they were then.
    session << "SELECT h.milestone_id, h.baseline_date, h.forecast_date FROM milestone_history h "
               "JOIN projects p ON p.id = h.project_id "
               "WHERE p.lead_user_id = ? AND h.id = (SELECT MAX(l.id) FROM milestone_history l "
               "WHERE l.milestone_id = h.milestone_id AND l.at <= ?)",
        bind(leadUserId), bind(at), into(rows), now;
    std::map<Poco::Int64, std::string> due;
    for (const auto& row : rows)
    {
        if (!row.get<2>().isNull())
            due[row.get<0>()] = row.get<2>().value();
        else if (!row.get<1>().isNull())
            due[row.get<0>()] = row.get<1>().value();
    }
    return due;
}

} // namespace captrack::storage
