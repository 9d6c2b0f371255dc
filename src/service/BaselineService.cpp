#include "captrack/service/BaselineService.h"

#include "WebhookEvents.h"

#include "captrack/Errors.h"
#include "captrack/domain/DecimalId.h"
#include "captrack/domain/Specs.h"
#include "captrack/domain/TextRules.h"
#include "captrack/domain/Utf8.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/ListFilters.h"
#include "captrack/storage/HistoryStore.h"
#include "captrack/storage/ListConditions.h"
#include "captrack/storage/RollupStore.h"
#include "captrack/storage/Transaction.h"

#include <Poco/String.h>

#include <set>

namespace captrack::service
{

using domain::Record;
using Poco::Dynamic::Var;

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

/// The records as JSON objects with the given keys, in this order.
Poco::JSON::Array::Ptr asJson(const std::vector<Record>& records, const std::vector<std::string>& keys)
{
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& record : records)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& key : keys)
        {
            const auto it = record.find(key);
            item->set(key, it == record.end() ? Var() : it->second);
        }
        out->add(item);
    }
    return out;
}

const std::vector<std::string> BASELINE_KEYS{"id", "project_id", "name", "reason", "created_by", "created_at"};
const std::vector<std::string> ITEM_KEYS{"milestone_id",  "title",       "baseline_date", "previous_baseline_date",
                                         "forecast_date", "actual_date", "status"};
const std::vector<std::string> HISTORY_KEYS{"id",          "milestone_id", "project_id",    "at",
                                            "user_id",     "action",       "baseline_date", "forecast_date",
                                            "actual_date", "status",       "progress"};

/// The name and reason of a new baseline; ValidationError naming each problem of the body.
std::pair<std::string, std::string> baselineInput(const Poco::JSON::Object& input)
{
    FieldErrors errors;
    std::string name = requiredText(input, "name", 100, domain::TextLines::Single, errors);
    std::string reason = requiredText(input, "reason", 1000, domain::TextLines::Multiple, errors);
    // Baselines are addressed by id or name in one path segment, so a name cannot be all digits.
    if (domain::isAllDigits(name))
        errors.push_back({"name", "must contain something other than digits"});
    for (const auto& [key, value] : input)
        if (key != "name" && key != "reason")
            errors.push_back({key, domain::notAFieldOf(domain::nameText(domain::Entity::Baseline))});
    throwIfAny(errors);
    return {std::move(name), std::move(reason)};
}

/// What a baseline keeps of a milestone: its new baseline date is its forecast (if any).
storage::BaselineItemRow itemOf(const Record& milestone)
{
    storage::BaselineItemRow item;
    item.milestoneId = domain::recordId(milestone);
    item.title = *domain::textField(milestone, "title");
    item.previousBaselineDate = *domain::textField(milestone, "baseline_date");
    item.baselineDate = domain::textField(milestone, "forecast_date").value_or(item.previousBaselineDate);
    if (!milestone.at("forecast_date").isEmpty())
        item.forecastDate = item.baselineDate;
    item.actualDate = domain::textField(milestone, "actual_date");
    item.status = *domain::textField(milestone, "status");
    return item;
}
} // namespace

BaselineService::BaselineService(storage::Database& database, const domain::Clock& clock,
                                 const domain::HealthThresholds& thresholds)
    : _database(database), _clock(clock), _thresholds(thresholds), _store(database), _baselines(database)
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
        // Setting a baseline rewrites the project's milestones: it takes their writers' turn first.
        storage::RollupStore::takeTurn(session, projectId);
        const auto [name, reason] = baselineInput(input);
        const std::string taken = "the project already has a baseline named '" + name + "'";
        if (_baselines.nameTaken(session, projectId, name))
            throw ConflictError(taken);
        const std::string at = _clock.nowText();
        const std::optional<Poco::Int64> creator =
            actor.userId ? std::optional<Poco::Int64>(actor.userId) : std::nullopt;
        // None: taken meanwhile by a concurrent request; the count above saw no committed row (MariaDB
        // reads without locking), the unique key refuses the second.
        const auto baselineId = _baselines.insert(session, {projectId, name, reason, creator, at});
        if (!baselineId)
            throw ConflictError(taken);
        snapshotMilestones(session, actor, at, projectId, *baselineId);
        AuditLog::recordRaw(session, actor, at, "create", domain::Entity::Baseline, *baselineId, projectId,
                            AuditLog::change("name", Var(), Var(name)));
        return load(session, projectId, std::to_string(*baselineId), true);
    });
}

void BaselineService::snapshotMilestones(Poco::Data::Session& session, const domain::Principal& actor,
                                         const std::string& at, Poco::Int64 projectId, Poco::Int64 baselineId) const
{
    const auto& milestones = Catalogue::instance().milestones;
    // The roll-up is refreshed once, after every milestone moved: one health verdict for the whole
    // baseline (project.health_changed), not one per milestone, and fewer statements.
    std::set<Poco::Int64> moved;
    const HealthWatch health(session, projectId, at, _thresholds);
    const WriteContext context{actor, at, _store, &moved, _thresholds};
    storage::ListQuery all;
    all.conditions.push_back(belongsTo("project_id", projectId));
    all.limit = 100000;
    for (const Record& before : _store.list(session, milestones.spec, all).items)
    {
        const auto item = itemOf(before);
        _baselines.addItem(session, baselineId, item);
        if (item.baselineDate == item.previousBaselineDate)
            continue;
        Record after = before;
        const Poco::Int64 version = *domain::intField(before, "version");
        after["baseline_date"] = item.baselineDate;
        after["version"] = version + 1;
        after["updated_at"] = at;
        if (!_store.update(session, milestones.spec, after, version, &before))
            throw PreconditionFailedError("a milestone of the project changed while the baseline was taken: take it "
                                          "again");
        milestones.hooks->afterWrite(session, context, after, &before);
        AuditLog::record(session, actor, at, "update", milestones.spec, &before, &after);
    }
    if (!moved.empty())
        storage::RollupStore::refreshMilestones(session, projectId);
    health.publishIfChanged(session);
}

void BaselineService::checkProjectReadable(Poco::Data::Session& session, const domain::Principal& principal,
                                           Poco::Int64 projectId) const
{
    const auto visible = storage::allOf(
        {storage::ListConditions::idIs(projectId), _policy.visibleRecords(principal, Catalogue::instance().projects)});
    if (!_store.exists(session, "projects", visible))
        throw NotFoundError("no project with id " + std::to_string(projectId));
}

Poco::JSON::Array::Ptr BaselineService::list(const domain::Principal& principal, Poco::Int64 projectId) const
{
    auto pLease = _database.lease();
    auto& session = pLease->session();
    checkProjectReadable(session, principal, projectId);
    return asJson(_baselines.baselinesOf(session, projectId), BASELINE_KEYS);
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
    // All digits is an id (names cannot be); one that is no id (zero, over 18 digits) names nothing.
    std::optional<domain::Record> baseline;
    if (!domain::isAllDigits(idOrName))
        baseline = _baselines.baselineByName(session, projectId, idOrName);
    else if (const auto id = domain::decimalId(idOrName))
        baseline = _baselines.baselineById(session, projectId, *id);
    if (!baseline)
        throw NotFoundError("no baseline '" + idOrName + "' in project " + std::to_string(projectId));
    auto json = asJson({*baseline}, BASELINE_KEYS)->getObject(0);
    if (withItems)
        json->set("items", asJson(_baselines.itemsOf(session, *domain::intField(*baseline, "id")), ITEM_KEYS));
    return json;
}

Poco::JSON::Array::Ptr BaselineService::milestoneHistory(const domain::Principal& principal,
                                                         Poco::Int64 milestoneId) const
{
    // Rows of a project the principal may not see are left out by the same statement, so such a
    // milestone answers like one that never existed, at the same cost.
    auto pLease = _database.lease();
    const auto rows = storage::HistoryStore::milestoneHistory(
        pLease->session(), milestoneId, _policy.visibleRecords(principal, Catalogue::instance().milestones));
    // Every stored milestone has at least its creation row; none means it never existed (or is hidden).
    if (rows.empty())
        throw NotFoundError("no milestone with id " + std::to_string(milestoneId));
    return asJson(rows, HISTORY_KEYS);
}

} // namespace captrack::service
