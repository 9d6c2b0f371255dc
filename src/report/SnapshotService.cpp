#include "captrack/report/SnapshotService.h"

#include "captrack/Errors.h"
#include "captrack/domain/DecimalId.h"
#include "captrack/domain/TextRules.h"
#include "captrack/domain/Utf8.h"
#include "captrack/report/Renderers.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/Crypto.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/Transaction.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <sstream>

namespace captrack::report
{

using domain::Role;

namespace
{
constexpr std::size_t MAX_NAME_CHARACTERS = 100;

/// The name, checked: ValidationError naming what is wrong with it.
std::string checkedName(const std::string& raw)
{
    const std::string name = Poco::trim(raw);
    FieldErrors errors;
    if (const auto problem = domain::plainTextProblem(raw, domain::TextLines::Single))
        errors.push_back({"name", *problem});
    else if (name.empty())
        errors.push_back({"name", "must not be empty"});
    else if (domain::utf8::codePointCount(name) > MAX_NAME_CHARACTERS)
        errors.push_back({"name", "must be at most " + std::to_string(MAX_NAME_CHARACTERS) + " characters"});
    else if (domain::isAllDigits(name))
        errors.push_back({"name", "must contain something other than digits (snapshots are addressed by id or name)"});
    else if (Poco::icompare(name, "now") == 0 || name == "." || name == ".." || name.find('/') != std::string::npos)
        errors.push_back({"name", "must not be now, . or .., nor hold a / (it names the snapshot in addresses)"});
    throwIfAny(errors);
    return name;
}

std::string filtersText(const PortfolioRequest& request)
{
    Poco::JSON::Object filters(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, values] : request.filters)
    {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& value : values)
            list->add(value);
        filters.set(name, list);
    }
    std::ostringstream out;
    filters.stringify(out);
    return out.str();
}

/// The renderings of a captured report: each format as the live route renders it (JSON, CSV and
/// Markdown from the report without its timelines, as the live route builds them).
std::vector<storage::RenderingRow> renderingsOf(const PortfolioReport& withTimelines)
{
    PortfolioReport plain = withTimelines;
    plain.projects.reset();
    std::vector<storage::RenderingRow> out;
    for (const ReportFormat format : SnapshotService::formats())
    {
        const bool timelines = format == ReportFormat::Html || format == ReportFormat::Xlsx;
        Rendered rendered = renderPortfolio(timelines ? withTimelines : plain, format);
        const std::string hash = service::sha256Hex(rendered.body);
        out.push_back(
            {std::string(domain::nameText(format)), std::move(rendered.contentType), std::move(rendered.body), hash});
    }
    return out;
}
} // namespace

void checkMayPublishSnapshots(const domain::Principal& principal)
{
    if (!principal.isSystem() && principal.role != Role::Reviewer && principal.role != Role::Admin)
        throw ForbiddenError("only reviewers and admins publish report snapshots");
}

void checkMayReadSnapshots(const domain::Principal& principal)
{
    if (!principal.isSystem() && principal.role == Role::Partner)
        throw ForbiddenError("report snapshots are for staff: they hold every partner's figures");
}

const std::vector<ReportFormat>& SnapshotService::formats()
{
    static const std::vector<ReportFormat> all{ReportFormat::Json, ReportFormat::Csv, ReportFormat::Markdown,
                                               ReportFormat::Html, ReportFormat::Xlsx};
    return all;
}

SnapshotService::SnapshotService(storage::Database& database, const domain::Clock& clock, const ReportService& reports)
    : _database(database), _clock(clock), _reports(reports), _store(database)
{
}

storage::SnapshotRow SnapshotService::publish(const domain::Principal& principal, const std::string& rawName,
                                              const PortfolioRequest& request,
                                              const std::optional<std::string>& schedulePeriod) const
{
    checkMayPublishSnapshots(principal);
    const std::string name = checkedName(rawName);
    _reports.check(request);
    const std::string taken = "a snapshot named '" + name + "' exists";
    {
        // A taken name costs no build.
        auto pLease = _database.lease();
        if (_store.nameTaken(pLease->session(), name))
            throw ConflictError(taken);
    }
    const auto permit = _reports.admit();
    const auto capture = _reports.capture(permit, principal, request);
    const auto renderings = renderingsOf(capture.report);

    storage::SnapshotRow row;
    row.name = name;
    row.asOf = capture.report.asOf.toString();
    row.groupBy = std::string(domain::nameText(request.groupBy));
    row.filters = filtersText(request);
    row.listLimit = static_cast<Poco::Int64>(request.listLimit);
    if (!principal.isSystem())
        row.publishedBy = principal.userId;
    row.publishedAt = _clock.nowText();
    row.contentHash = renderings.front().sha256; // the JSON rendering's
    row.schedulePeriod = schedulePeriod;
    return storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        const auto id = _store.insert(session, row);
        if (!id)
            throw ConflictError(schedulePeriod ? "the period " + *schedulePeriod + " is published already" : taken);
        for (const auto& rendering : renderings)
            _store.addRendering(session, *id, rendering);
        _store.addState(session, *id, capture.state);
        service::AuditLog::recordRaw(session, principal, row.publishedAt, "create", domain::Entity::Snapshot, *id,
                                     std::nullopt, service::AuditLog::change("name", Poco::Dynamic::Var(), name));
        storage::SnapshotRow stored = row;
        stored.id = *id;
        if (!_listeners.empty())
            tell(session, stored, capture.state);
        return stored;
    });
}

std::pair<std::vector<storage::SnapshotRow>, Poco::Int64> SnapshotService::list(const domain::Principal& principal,
                                                                                std::size_t limit,
                                                                                std::size_t offset) const
{
    checkMayReadSnapshots(principal);
    auto pLease = _database.lease();
    auto& session = pLease->session();
    return {_store.list(session, limit, offset), _store.count(session)};
}

storage::SnapshotRow SnapshotService::find(const domain::Principal& principal, const std::string& idOrName) const
{
    checkMayReadSnapshots(principal);
    auto pLease = _database.lease();
    auto& session = pLease->session();
    std::optional<storage::SnapshotRow> row;
    Poco::Int64 id = 0;
    if (domain::isAllDigits(idOrName) && Poco::NumberParser::tryParse64(idOrName, id))
        row = _store.byId(session, id);
    else
        row = _store.byName(session, idOrName);
    if (!row)
        throw NotFoundError("no report snapshot " + idOrName);
    return *row;
}

void SnapshotService::tell(Poco::Data::Session& session, const storage::SnapshotRow& snapshot,
                           const storage::PortfolioState& state) const
{
    std::optional<PortfolioChanges> changes;
    // The newest earlier snapshot of the same report (grouping and filters): another report's projects
    // would read as added or removed.
    for (const auto& previous : _store.list(session, 50, 0))
        if (previous.id < snapshot.id && previous.groupBy == snapshot.groupBy && previous.filters == snapshot.filters)
        {
            changes = comparePortfolios(_store.state(session, previous), state);
            changes->fromName = previous.name;
            changes->toName = snapshot.name;
            break;
        }
    for (const auto& listener : _listeners)
        listener(session, snapshot, changes ? &*changes : nullptr);
}

bool SnapshotService::periodPublished(const std::string& period) const
{
    auto pLease = _database.lease();
    return _store.periodPublished(pLease->session(), period);
}

std::vector<std::string> SnapshotService::formatsOf(Poco::Int64 snapshotId) const
{
    auto pLease = _database.lease();
    return _store.formatsOf(pLease->session(), snapshotId);
}

storage::RenderingRow SnapshotService::rendering(const storage::SnapshotRow& snapshot, const std::string& format) const
{
    const ReportFormat wanted = portfolioFormat(format); // BadRequestError for another format
    auto pLease = _database.lease();
    auto rendering = _store.rendering(pLease->session(), snapshot.id, std::string(domain::nameText(wanted)));
    if (!rendering)
        throw NotFoundError("the snapshot " + snapshot.name + " has no " + format + " rendering");
    return *rendering;
}

storage::PortfolioState SnapshotService::state(const storage::SnapshotRow& snapshot) const
{
    storage::ReadSnapshot read(_database);
    return _store.state(read.session(), snapshot);
}

void SnapshotService::remove(const domain::Principal& principal, const std::string& idOrName) const
{
    if (!principal.isSystem() && principal.role != Role::Admin)
        throw ForbiddenError("only admins delete report snapshots");
    const auto snapshot = find(principal, idOrName);
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        if (!_store.remove(session, snapshot.id))
            throw NotFoundError("no report snapshot " + idOrName);
        service::AuditLog::recordRaw(session, principal, _clock.nowText(), "delete", domain::Entity::Snapshot,
                                     snapshot.id, std::nullopt,
                                     service::AuditLog::change("name", snapshot.name, Poco::Dynamic::Var()));
        return 0;
    });
}

PortfolioChanges SnapshotService::changes(const domain::Principal& principal, const std::string& from,
                                          const std::string& to) const
{
    const auto older = find(principal, from);
    // Two whole states in memory (a million milestones at 100,000 projects): a costly build like a live
    // portfolio report, under the same permits.
    const auto permit = _reports.admit();
    const auto before = state(older);
    PortfolioChanges changes;
    if (to == "now")
    {
        PortfolioRequest request = requestOf(older);
        request.asOf.reset(); // today
        changes = comparePortfolios(before, _reports.currentState(permit, principal, request));
        changes.toName = "now";
    }
    else
    {
        const auto newer = find(principal, to);
        changes = comparePortfolios(before, state(newer));
        changes.toName = newer.name;
    }
    changes.fromName = older.name;
    return changes;
}

std::vector<std::pair<storage::SnapshotRow, storage::ProjectStateRow>> SnapshotService::healthHistory(
    const domain::Principal& principal, Poco::Int64 projectId) const
{
    checkMayReadSnapshots(principal);
    auto pLease = _database.lease();
    return _store.projectHistory(pLease->session(), projectId);
}

PortfolioRequest SnapshotService::requestOf(const storage::SnapshotRow& snapshot)
{
    PortfolioRequest request;
    request.groupBy = ReportService::grouping(snapshot.groupBy);
    request.asOf = domain::Date::parse(snapshot.asOf);
    request.listLimit = static_cast<std::size_t>(snapshot.listLimit);
    const auto filters = Poco::JSON::Parser().parse(snapshot.filters).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, values] : *filters)
    {
        const auto list = values.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < list->size(); ++i)
            request.filters[name].push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return request;
}

} // namespace captrack::report
