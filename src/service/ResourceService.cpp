#include "captrack/service/ResourceService.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"
#include "captrack/storage/ListConditions.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/DataException.h>

namespace captrack::service
{

using domain::FieldKind;
using domain::Record;
using domain::ResourceSpec;
using domain::WriteMode;
using Poco::Dynamic::Var;
using storage::ListConditions;
using storage::Transaction;

namespace
{
/// "there is no partner 17": a reference names nothing stored. The referenced table in words, one of it.
std::string missingText(const domain::FieldSpec& field, const std::string& value)
{
    std::string thing = domain::plainWords(field.refTable);
    if (!thing.empty() && thing.back() == 's')
        thing.pop_back();
    return "there is no " + thing + " " + value;
}

bool changesAnything(const ResourceSpec& spec, const Record& before, const Record& after)
{
    for (const auto& field : spec.fields)
    {
        const auto a = before.find(field.name), b = after.find(field.name);
        const Var va = a == before.end() ? Var() : a->second, vb = b == after.end() ? Var() : b->second;
        if (!sameValue(field, va, vb))
            return true;
    }
    return false;
}

/// The row a transaction has just written, read back within it. Missing only when the database
/// aborted the transaction behind its back (Galera): an error, which inTransaction() then runs again.
NotFoundError noSuch(const ResourceSpec& spec, Poco::Int64 id)
{
    return NotFoundError("no " + spec.entity + " with id " + std::to_string(id));
}

/// The record this transaction has just written (`written`, with the id it has).
Record readBack(Poco::Data::Session& session, const storage::RecordStore& store, const ResourceSpec& spec,
                Poco::Int64 id, const Record& written)
{
    auto stored = store.findWritten(session, spec, id, written);
    if (!stored)
        throw Poco::Data::DataException("the " + spec.entity + " just written is not there within its transaction");
    return std::move(*stored);
}
} // namespace

Poco::Int64 expectedVersionOf(const Record& input, std::optional<Poco::Int64> ifMatch)
{
    const auto it = input.find("version");
    const bool inBody = it != input.end() && !it->second.isEmpty();
    if (!ifMatch && !inBody)
        throw PreconditionRequiredError(
            "say which version you are changing: send If-Match with the version you last read (or `version` in "
            "the body)");
    if (!inBody)
        return *ifMatch;
    if (it->second.isBoolean() || it->second.isString() || !it->second.isInteger())
        throw BadRequestError("`version` must be a whole number");
    const Poco::Int64 version = it->second.convert<Poco::Int64>();
    // Two versions that differ: one of them is not what the client last read, and which is unknown.
    if (ifMatch && *ifMatch != version)
        throw BadRequestError("If-Match names version " + std::to_string(*ifMatch) + " and the body's `version` " +
                              std::to_string(version) + ": send one of them, or the same in both");
    return version;
}

ResourceService::ResourceService(storage::Database& database, const domain::Clock& clock,
                                 const domain::HealthThresholds& thresholds)
    : _database(database), _clock(clock), _thresholds(thresholds), _store(database)
{
}

Record ResourceService::get(const domain::Principal& principal, const Resource& resource, Poco::Int64 id) const
{
    _policy.checkReadById(principal, resource, id);
    auto pLease = _database.lease();
    auto record = _store.findById(pLease->session(), resource.spec, id, _policy.visibleRecords(principal, resource));
    if (!record)
        throw noSuch(resource.spec, id);
    _policy.redact(principal, resource, *record);
    return *record;
}

std::optional<Poco::Int64> ResourceService::findId(const domain::Principal& principal, const Resource& resource,
                                                   const storage::Condition& condition) const
{
    auto pLease = _database.lease();
    return findIdIn(pLease->session(), principal, resource, condition);
}

std::optional<Poco::Int64> ResourceService::findIdIn(Poco::Data::Session& session, const domain::Principal& principal,
                                                     const Resource& resource,
                                                     const storage::Condition& condition) const
{
    const auto record = _store.findOne(session, resource.spec,
                                       storage::allOf({condition, _policy.visibleRecords(principal, resource)}));
    return record ? std::optional<Poco::Int64>(domain::recordId(*record)) : std::nullopt;
}

std::optional<Poco::Int64> ResourceService::findVisibleId(const domain::Principal& principal, const Resource& resource,
                                                          Poco::Int64 id) const
{
    return findId(principal, resource, ListConditions::idIs(id));
}

std::optional<Poco::Int64> ResourceService::findIdByCode(const domain::Principal& principal, const Resource& resource,
                                                         const std::string& code) const
{
    return findId(principal, resource, ListConditions::codeIs(code));
}

std::optional<Poco::Int64> ResourceService::findMissionLink(const domain::Principal& principal, Poco::Int64 projectId,
                                                            Poco::Int64 missionId) const
{
    return findId(principal, Catalogue::instance().missionLinks, ListConditions::missionLink(projectId, missionId));
}

void ResourceService::checkParentVisible(const domain::Principal& principal, const Resource& resource,
                                         Poco::Int64 parentId) const
{
    auto pLease = _database.lease();
    checkParentVisible(pLease->session(), principal, resource, parentId);
}

void ResourceService::checkParentVisible(Poco::Data::Session& session, const domain::Principal& principal,
                                         const Resource& resource, Poco::Int64 parentId) const
{
    // Every nested resource of the catalogue is a child of a project.
    const auto& projects = Catalogue::instance().projects;
    poco_assert(resource.spec.field(resource.spec.parentField)->refTable == projects.spec.table);
    const auto visible = storage::allOf({ListConditions::idIs(parentId), _policy.visibleRecords(principal, projects)});
    if (!_store.exists(session, projects.spec.table, visible))
        throw NotFoundError("no parent project " + std::to_string(parentId));
}

Record ResourceService::visibleOrNotFound(Poco::Data::Session& session, const domain::Principal& actor,
                                          const Resource& resource, Poco::Int64 id, bool lock) const
{
    auto record = _store.findById(session, resource.spec, id, _policy.visibleRecords(actor, resource), lock);
    if (!record)
        throw noSuch(resource.spec, id);
    return *record;
}

WriteTarget ResourceService::checkBeforeTurn(Poco::Data::Session& session, const domain::Principal& actor,
                                             const Resource& resource, Poco::Int64 id) const
{
    // Without its list fields, which neither the policy nor the turn needs.
    const auto seen = _store.findColumns(session, resource.spec, id, _policy.visibleRecords(actor, resource));
    if (!seen)
        throw noSuch(resource.spec, id);
    _policy.checkWrite(session, actor, resource, &*seen, nullptr);
    const auto& parentField = resource.spec.parentField;
    return {id, parentField.empty() ? std::nullopt : domain::intField(*seen, parentField)};
}

storage::Page ResourceService::list(const domain::Principal& principal, const Resource& resource,
                                    storage::ListQuery query) const
{
    _policy.restrictList(principal, resource, query);
    auto pLease = _database.lease();
    auto page = _store.list(pLease->session(), resource.spec, query);
    for (auto& record : page.items)
        _policy.redact(principal, resource, record);
    return page;
}

std::string ResourceService::listJson(const domain::Principal& principal, const Resource& resource,
                                      storage::ListQuery query) const
{
    if (AccessPolicy::mayRedact(principal, resource))
    {
        const auto page = list(principal, resource, query);
        return pageJsonText(resource.spec, page.items, page.total, query.limit, query.offset);
    }
    _policy.restrictList(principal, resource, query);
    PageJsonWriter writer(resource.spec);
    storage::PageLists lists;
    auto pLease = _database.lease();
    const Poco::Int64 total = _store.visitPage(
        pLease->session(), resource.spec, query, [&writer](const storage::RowReader& row) { writer.addRow(row); },
        lists);
    return writer.finish(lists, total, query.limit, query.offset);
}

void ResourceService::checkReferences(Poco::Data::Session& session, const ResourceSpec& spec, const Record& after,
                                      const Record* before, FieldErrors& errors) const
{
    for (const auto& field : spec.fields)
    {
        if (field.refTable.empty() || field.access == domain::FieldAccess::Managed)
            continue;
        const auto it = after.find(field.name);
        if (it == after.end() || it->second.isEmpty())
            continue;
        if (before && before->count(field.name) && sameValue(field, before->at(field.name), it->second))
            continue;
        if (field.kind == FieldKind::IdList)
        {
            for (auto id : it->second.extract<std::vector<Poco::Int64>>())
                if (!_store.exists(session, field.refTable, field.refColumn, Var(id)))
                    errors.push_back({field.name, missingText(field, std::to_string(id))});
        }
        else if (field.kind == FieldKind::CodeList)
        {
            for (const auto& code : it->second.extract<std::vector<std::string>>())
                if (!_store.exists(session, field.refTable, field.refColumn, Var(code)))
                    errors.push_back({field.name, missingText(field, code)});
        }
        else if (!_store.exists(session, field.refTable, field.refColumn, it->second))
        {
            errors.push_back({field.name, missingText(field, it->second.convert<std::string>())});
        }
    }
}

void ResourceService::checkUnique(Poco::Data::Session& session, const ResourceSpec& spec, const Record& after,
                                  const Record* before) const
{
    if (spec.uniqueField.empty())
        return;
    const Var& value = after.at(spec.uniqueField);
    if (before && before->at(spec.uniqueField).convert<std::string>() == value.convert<std::string>())
        return;
    auto condition = ListConditions::fieldIs(spec.uniqueField, value);
    if (!spec.parentField.empty())
        condition = storage::allOf({condition, ListConditions::fieldIs(spec.parentField, after.at(spec.parentField))});
    if (_store.findOne(session, spec, condition))
        throw ConflictError(domain::withArticle(domain::plainWords(spec.entity)) + " with this " +
                            domain::fieldWords(spec.uniqueField) + " (" + value.convert<std::string>() +
                            ") already exists: choose another");
}

Record ResourceService::create(const domain::Principal& actor, const Resource& resource, const Record& input,
                               std::optional<Poco::Int64> parentId, const InTransaction& alsoInTransaction) const
{
    Record stored = storage::inTransaction(_database, [&](storage::Transaction& txn) {
        return createIn(txn.session(), actor, resource, input, parentId, alsoInTransaction);
    });
    _policy.redact(actor, resource, stored);
    return stored;
}

Record ResourceService::createIn(Poco::Data::Session& session, const domain::Principal& actor, const Resource& resource,
                                 const Record& input, std::optional<Poco::Int64> parentId,
                                 const InTransaction& alsoInTransaction, std::set<Poco::Int64>* deferredRollups) const
{
    const ResourceSpec& spec = resource.spec;
    if (!spec.parentField.empty())
    {
        if (!parentId)
            throw NotFoundError("a " + spec.entity + " needs its parent");
        checkParentVisible(session, actor, resource, *parentId);
        const Record child{{spec.parentField, *parentId}};
        _policy.checkWrite(session, actor, resource, nullptr, &child); // before the turn: refused waits for nobody
        if (resource.hooks)
            resource.hooks->lockFirst(session, {std::nullopt, parentId});
    }
    FieldErrors errors;
    Record record = domain::normaliseInput(spec, input, WriteMode::Create, errors);
    record.erase("version");
    if (parentId)
        record[spec.parentField] = *parentId;
    // A lead's new project is led by that lead unless it names someone (which the policy refuses).
    if (spec.kind == domain::Entity::Project && actor.role == domain::Role::Lead && !record.count("lead_user_id"))
        record["lead_user_id"] = actor.userId;
    if (spec.parentField.empty())
        _policy.checkWrite(session, actor, resource, nullptr, &record);
    domain::checkRecord(spec, record, errors);
    throwIfAny(errors);
    checkReferences(session, spec, record, nullptr, errors);
    throwIfAny(errors);
    checkUnique(session, spec, record, nullptr);
    const WriteContext context{actor, _clock.nowText(), _store, deferredRollups, _thresholds};
    if (resource.hooks)
        resource.hooks->check(session, context, record, nullptr, errors);
    throwIfAny(errors);

    record["version"] = Poco::Int64(1);
    record["created_at"] = context.at;
    record["updated_at"] = context.at;
    const Poco::Int64 id = _store.insert(session, spec, record);
    Record stored = readBack(session, _store, spec, id, record);
    if (resource.hooks)
        resource.hooks->afterWrite(session, context, stored, nullptr);
    if (alsoInTransaction)
        alsoInTransaction(session, stored);
    AuditLog::record(session, actor, context.at, "create", spec, nullptr, &stored);
    return stored;
}

Record ResourceService::update(const domain::Principal& actor, const Resource& resource, Poco::Int64 id,
                               const Record& input, std::optional<Poco::Int64> expectedVersion,
                               const InTransaction& alsoInTransaction) const
{
    Record stored = storage::inTransaction(_database, [&](storage::Transaction& txn) {
        return updateIn(txn.session(), actor, resource, id, input, expectedVersion, alsoInTransaction);
    });
    _policy.redact(actor, resource, stored);
    return stored;
}

Record ResourceService::updateIn(Poco::Data::Session& session, const domain::Principal& actor, const Resource& resource,
                                 Poco::Int64 id, const Record& input, std::optional<Poco::Int64> expectedVersion,
                                 const InTransaction& alsoInTransaction, std::set<Poco::Int64>* deferredRollups) const
{
    const ResourceSpec& spec = resource.spec;
    if (resource.hooks)
    {
        resource.hooks->lockFirst(session, checkBeforeTurn(session, actor, resource, id));
    }
    Record before = visibleOrNotFound(session, actor, resource, id, true);
    _policy.checkWrite(session, actor, resource, &before, nullptr);
    const Poco::Int64 expected = expectedVersionOf(input, expectedVersion);
    const Poco::Int64 current = before.at("version").convert<Poco::Int64>();
    if (expected != current)
        throw PreconditionFailedError(domain::changedMeanwhile(spec.entity, current, expected));

    FieldErrors errors;
    const Record patch = domain::normaliseInput(spec, input, WriteMode::Update, errors);
    Record after = before;
    for (const auto& [name, value] : patch)
        if (name != "version")
            after[name] = value;
    domain::checkRecord(spec, after, errors);
    throwIfAny(errors);
    _policy.checkWrite(session, actor, resource, &before, &after);
    if (!changesAnything(spec, before, after) && !alsoInTransaction)
        return before;
    checkReferences(session, spec, after, &before, errors);
    throwIfAny(errors);
    checkUnique(session, spec, after, &before);
    const WriteContext context{actor, _clock.nowText(), _store, deferredRollups, _thresholds};
    if (resource.hooks)
        resource.hooks->check(session, context, after, &before, errors);
    throwIfAny(errors);

    after["version"] = current + 1;
    after["updated_at"] = context.at;
    if (!_store.update(session, spec, after, current, &before))
        throw PreconditionFailedError("someone else changed this " + domain::plainWords(spec.entity) +
                                      " at the same moment: reload it, then make your change again");
    // What was written is what a read gives: `before` is as read, the patch is normalised to the types
    // a read gives (domain::normaliseInput; lists sorted), and the row is locked until the commit.
    // MilestoneApiTest and ResourceApiTest compare each answer with the next read.
    const Record& stored = after;
    if (resource.hooks)
        resource.hooks->afterWrite(session, context, stored, &before);
    if (alsoInTransaction)
        alsoInTransaction(session, stored);
    AuditLog::record(session, actor, context.at, "update", spec, &before, &stored);
    return stored;
}

void ResourceService::remove(const domain::Principal& actor, const Resource& resource, Poco::Int64 id,
                             std::optional<Poco::Int64> expectedVersion) const
{
    const ResourceSpec& spec = resource.spec;
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        if (resource.hooks)
        {
            resource.hooks->lockFirst(session, checkBeforeTurn(session, actor, resource, id));
        }
        Record before = visibleOrNotFound(session, actor, resource, id, true);
        _policy.checkWrite(session, actor, resource, &before, nullptr);
        const Poco::Int64 expected = expectedVersionOf({}, expectedVersion);
        const Poco::Int64 current = before.at("version").convert<Poco::Int64>();
        if (expected != current)
            throw PreconditionFailedError(domain::changedMeanwhile(spec.entity, current, expected));
        _store.remove(session, spec, id);
        const WriteContext context{actor, _clock.nowText(), _store, nullptr, _thresholds};
        if (resource.hooks)
            resource.hooks->afterDelete(session, context, before);
        AuditLog::record(session, actor, context.at, "delete", spec, &before, nullptr);
    });
}

} // namespace captrack::service
