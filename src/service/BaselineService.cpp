#include "captrack/service/BaselineService.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/domain/TextRules.h"
#include "captrack/domain/Utf8.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/Catalogue.h"
#include "captrack/storage/RecordStore.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Nullable.h>
#include <Poco/String.h>

namespace captrack::service
{

using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// A required text member of the body, checked by the text rule and counted in code points.
std::string requiredText(const Poco::JSON::Object& input, const std::string& name, std::size_t maxLength,
                         domain::TextLines lines, FieldErrors& errors)
{
    if (!input.has(name) || input.get(name).isEmpty() || !input.get(name).isString())
    {
        errors.push_back({name, "is required, as text"});
        return {};
    }
    const std::string raw = input.get(name).extract<std::string>();
    std::string value = Poco::trim(raw);
    if (const auto problem = domain::plainTextProblem(raw, lines))
        errors.push_back({name, *problem});
    else if (value.empty())
        errors.push_back({name, "must not be empty"});
    else if (domain::utf8::codePointCount(value) > maxLength)
        errors.push_back({name, "must be at most " + std::to_string(maxLength) + " characters"});
    return value;
}

/// The rows of a statement's result as JSON objects with the given keys (in column order).
Poco::JSON::Array::Ptr rowsAsJson(Poco::Data::Statement& statement, const std::vector<std::string>& keys)
{
    statement.execute();
    Poco::Data::RecordSet rows(statement);
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (std::size_t col = 0; col < keys.size(); ++col)
        {
            if (rows.isNull(col, row))
                item->set(keys[col], Var());
            else
            {
                const Var value = rows.value(col, row);
                item->set(keys[col], value.isNumeric() && !value.isString() ? Var(value.convert<Poco::Int64>())
                                                                            : Var(storage::columnText(value)));
            }
        }
        out->add(item);
    }
    return out;
}
} // namespace

BaselineService::BaselineService(storage::Database& database, const domain::Clock& clock)
    : _database(database), _clock(clock), _store(database)
{
}

Poco::JSON::Object::Ptr BaselineService::take(const domain::Principal& actor, Poco::Int64 projectId,
                                              const Poco::JSON::Object& input) const
{
    return storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        checkProjectReadable(session, actor, projectId);
        const Record child{{"project_id", projectId}};
        _policy.checkWrite(session, actor, Catalogue::instance().milestones, nullptr, &child);
        FieldErrors errors;
        std::string name = requiredText(input, "name", 100, domain::TextLines::Single, errors);
        std::string reason = requiredText(input, "reason", 1000, domain::TextLines::Multiple, errors);
        // Baselines are addressed by id or name in one path segment, so a name cannot be all digits.
        if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos)
            errors.push_back({"name", "must contain something other than digits"});
        for (const auto& [key, value] : input)
            if (key != "name" && key != "reason")
                errors.push_back({key, domain::notAFieldOf("baseline")});
        throwIfAny(errors);
        Poco::Int64 taken = 0;
        session << "SELECT COUNT(*) FROM baselines WHERE project_id = ? AND name = ?", use(projectId), use(name),
            into(taken), now;
        if (taken > 0)
            throw ConflictError("the project already has a baseline named '" + name + "'");

        const std::string at = _clock.nowText();
        Poco::Nullable<Poco::Int64> creator;
        if (actor.userId)
            creator = actor.userId;
        try
        {
            session
                << "INSERT INTO baselines (project_id, name, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                use(projectId), use(name), use(reason), use(creator), bind(at), now;
        }
        catch (const Poco::Data::DataException& e)
        {
            // Taken meanwhile by a concurrent request: the count above saw no committed row (MariaDB reads
            // without locking), the unique key refuses the second.
            if (storage::isConstraintViolation(e))
                throw ConflictError("the project already has a baseline named '" + name + "'");
            throw;
        }
        Poco::Int64 baselineId = 0;
        session << _database.lastInsertIdSql(), into(baselineId), now;

        const auto& milestones = Catalogue::instance().milestones;
        const WriteContext context{actor, at, _store};
        storage::ListQuery all;
        all.conditions.push_back({"project_id = ?", {Var(projectId)}});
        all.limit = 100000;
        for (const Record& before : _store.list(session, milestones.spec, all).items)
        {
            const std::string previous = *domain::textField(before, "baseline_date");
            const std::string next = domain::textField(before, "forecast_date").value_or(previous);
            session << "INSERT INTO baseline_items (baseline_id, milestone_id, title, baseline_date, "
                       "previous_baseline_date, forecast_date, actual_date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                bind(baselineId), bind(domain::recordId(before)), bind(*domain::textField(before, "title")), bind(next),
                bind(previous),
                bind(before.at("forecast_date").isEmpty() ? Poco::Nullable<std::string>()
                                                          : Poco::Nullable<std::string>(next)),
                bind(domain::textField(before, "actual_date")
                         ? Poco::Nullable<std::string>(*domain::textField(before, "actual_date"))
                         : Poco::Nullable<std::string>()),
                bind(*domain::textField(before, "status")), now;
            if (next == previous)
                continue;
            Record after = before;
            const Poco::Int64 version = *domain::intField(before, "version");
            after["baseline_date"] = next;
            after["version"] = version + 1;
            after["updated_at"] = at;
            _store.update(session, milestones.spec, after, version);
            milestones.hooks->afterWrite(session, context, after, &before);
            AuditLog::record(session, actor, at, "update", milestones.spec, &before, &after);
        }
        AuditLog::recordRaw(session, actor, at, "create", "baseline", baselineId, projectId,
                            AuditLog::change("name", Var(), Var(name)));
        return load(session, projectId, std::to_string(baselineId), true);
    });
}

void BaselineService::checkProjectReadable(Poco::Data::Session& session, const domain::Principal& principal,
                                           Poco::Int64 projectId) const
{
    const auto visible = storage::allOf(
        {{"id = ?", {Var(projectId)}}, _policy.visibleRecords(principal, Catalogue::instance().projects)});
    if (!_store.exists(session, "projects", visible))
        throw NotFoundError("no project with id " + std::to_string(projectId));
}

Poco::JSON::Array::Ptr BaselineService::list(const domain::Principal& principal, Poco::Int64 projectId) const
{
    auto pLease = _database.lease();
    auto& session = pLease->session();
    checkProjectReadable(session, principal, projectId);
    Poco::Data::Statement select(session);
    select << "SELECT id, project_id, name, reason, created_by, created_at FROM baselines WHERE project_id = ? "
              "ORDER BY id",
        bind(projectId);
    return rowsAsJson(select, {"id", "project_id", "name", "reason", "created_by", "created_at"});
}

Poco::JSON::Object::Ptr BaselineService::get(const domain::Principal& principal, Poco::Int64 projectId,
                                             const std::string& idOrName) const
{
    auto pLease = _database.lease();
    checkProjectReadable(pLease->session(), principal, projectId);
    return load(pLease->session(), projectId, idOrName, true);
}

Poco::JSON::Object::Ptr BaselineService::load(Poco::Data::Session& session, Poco::Int64 projectId,
                                              const std::string& idOrName, bool withItems) const
{
    const bool byId = !idOrName.empty() && idOrName.find_first_not_of("0123456789") == std::string::npos;
    Poco::Data::Statement select(session);
    select << std::string("SELECT id, project_id, name, reason, created_by, created_at FROM baselines "
                          "WHERE project_id = ? AND ") +
                  (byId ? "id = ?" : "name = ?"),
        bind(projectId);
    if (byId)
        select, bind(static_cast<Poco::Int64>(std::stoll(idOrName.substr(0, 18))));
    else
        select, bind(idOrName);
    auto rows = rowsAsJson(select, {"id", "project_id", "name", "reason", "created_by", "created_at"});
    if (rows->size() == 0)
        throw NotFoundError("no baseline '" + idOrName + "' in project " + std::to_string(projectId));
    auto baseline = rows->getObject(0);
    if (withItems)
    {
        Poco::Data::Statement items(session);
        items << "SELECT milestone_id, title, baseline_date, previous_baseline_date, forecast_date, actual_date, "
                 "status FROM baseline_items WHERE baseline_id = ? ORDER BY milestone_id",
            bind(baseline->getValue<Poco::Int64>("id"));
        baseline->set("items", rowsAsJson(items, {"milestone_id", "title", "baseline_date", "previous_baseline_date",
                                                  "forecast_date", "actual_date", "status"}));
    }
    return baseline;
}

Poco::JSON::Array::Ptr BaselineService::milestoneHistory(const domain::Principal& principal,
                                                         Poco::Int64 milestoneId) const
{
    // Rows of a project the principal may not see are left out by the same statement, so such a
    // milestone answers like one that never existed, at the same cost.
    const auto rowsSeen = storage::allOf({{"milestone_id = ?", {Var(milestoneId)}},
                                          _policy.visibleRecords(principal, Catalogue::instance().milestones)});
    auto pLease = _database.lease();
    Poco::Data::Statement select(pLease->session());
    select << "SELECT id, milestone_id, project_id, at, user_id, action, baseline_date, forecast_date, actual_date, "
              "status, progress FROM milestone_history WHERE " +
                  rowsSeen.sql + " ORDER BY id";
    for (const auto& value : rowsSeen.values)
        storage::bindValue(select, value);
    auto rows = rowsAsJson(select, {"id", "milestone_id", "project_id", "at", "user_id", "action", "baseline_date",
                                    "forecast_date", "actual_date", "status", "progress"});
    // Every stored milestone has at least its creation row; none means it never existed (or is hidden).
    if (rows->size() == 0)
        throw NotFoundError("no milestone with id " + std::to_string(milestoneId));
    return rows;
}

} // namespace captrack::service
