#include "captrack/service/Importer.h"

#include "WebhookEvents.h"

#include "captrack/Errors.h"
#include "captrack/domain/CsvReader.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/Catalogue.h"
#include "captrack/storage/ListConditions.h"
#include "captrack/storage/RollupStore.h"
#include "captrack/storage/Transaction.h"

#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

namespace captrack::service
{

using domain::FieldKind;
using domain::FieldSpec;
using domain::Record;
using Poco::Dynamic::Var;

namespace
{
const Resource& resourceOf(ImportKind kind)
{
    const auto& catalogue = Catalogue::instance();
    switch (kind)
    {
    case ImportKind::Projects:
        return catalogue.projects;
    case ImportKind::Milestones:
        return catalogue.milestones;
    case ImportKind::Contributions:
        return catalogue.contributions;
    }
    return catalogue.projects;
}

/// Ends the transaction of a dry run or of an import with errors: everything is rolled back.
struct RolledBack : std::runtime_error
{
    RolledBack() : std::runtime_error("import rolled back") {}
};

/// A cell as the CSV export wrote it, without the export's guard against formulas (an apostrophe before a
/// leading = + - @, tab or CR: report::detail::CsvWriter).
std::string unguarded(const std::string& cell)
{
    if (cell.size() >= 2 && cell[0] == '\'' && std::string("=+-@\t\r").find(cell[1]) != std::string::npos)
        return cell.substr(1);
    return cell;
}

std::optional<Poco::Int64> wholeNumber(const std::string& text)
{
    Poco::Int64 value = 0;
    const std::string trimmed = Poco::trim(text);
    if (trimmed.empty() || trimmed.find_first_not_of("-0123456789") != std::string::npos ||
        !Poco::NumberParser::tryParse64(trimmed, value))
        return std::nullopt;
    return value;
}

/// A non-empty cell as the JSON value the API would take for the field; a problem's text otherwise.
std::optional<Var> cellValue(const FieldSpec& field, const std::string& cell, std::string& problem)
{
    switch (field.kind)
    {
    case FieldKind::Integer:
    case FieldKind::Id:
        if (const auto number = wholeNumber(cell))
            return Var(*number);
        problem = "must be a whole number";
        return std::nullopt;
    case FieldKind::Number: {
        // Written as JSON writes numbers: a decimal point, never a comma (Poco would drop "2,5"'s comma
        // as a thousands separator and read 25).
        const std::string text = Poco::trim(cell);
        double number = 0;
        if (!text.empty() && text.find_first_not_of("-+.0123456789eE") == std::string::npos &&
            Poco::NumberParser::tryParseFloat(text, number, '.', ' ') && std::isfinite(number))
            return Var(number);
        problem = "must be a number written with a decimal point, e.g. 2.5";
        return std::nullopt;
    }
    case FieldKind::Boolean: {
        const std::string text = Poco::toLower(Poco::trim(cell));
        if (text == "true" || text == "false")
            return Var(text == "true");
        problem = "must be true or false";
        return std::nullopt;
    }
    case FieldKind::IdList:
    case FieldKind::CodeList: {
        std::vector<Var> items;
        for (const auto& item : Poco::StringTokenizer(
                 cell, ";", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY))
        {
            if (field.kind == FieldKind::CodeList)
                items.emplace_back(item);
            else if (const auto id = wholeNumber(item))
                items.emplace_back(*id);
            else
            {
                problem = "must list ids separated by `;`";
                return std::nullopt;
            }
        }
        return Var(items);
    }
    default:
        return Var(unguarded(cell));
    }
}

/// The header's fields, in its order.
struct Header
{
    std::vector<const FieldSpec*> fields;
    std::optional<std::size_t> id, version, parent;
};

/// The header, or its errors in `outcome`.
std::optional<Header> readHeader(const domain::ResourceSpec& spec, const domain::CsvRecord& record,
                                 ImportOutcome& outcome)
{
    Header header;
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < record.fields.size(); ++i)
    {
        const std::string name = Poco::trim(unguarded(record.fields[i]));
        const FieldSpec* field = spec.field(name);
        if (!field)
            outcome.errors.push_back(
                {record.line, name,
                 "is not a column of " + domain::plainWords(spec.table) + ": the columns are the fields of its JSON"});
        else if (!seen.emplace(name, i).second)
            outcome.errors.push_back({record.line, name, "is named twice"});
        header.fields.push_back(field);
        if (name == "id")
            header.id = i;
        else if (name == "version")
            header.version = i;
        else if (!spec.parentField.empty() && name == spec.parentField)
            header.parent = i;
    }
    if (!spec.parentField.empty() && !header.parent)
        outcome.errors.push_back({record.line, spec.parentField, "is needed: the project of each row"});
    if (!outcome.errors.empty())
        return std::nullopt;
    return header;
}

/// One data row, parsed: its input for the service (without the cells that could not be read, whose
/// errors are in `outcome`: the service still checks the rest of the row).
struct Row
{
    std::size_t line = 0;
    Record input;
    std::optional<Poco::Int64> id, version;
    std::string parent; ///< the parent column's text (an id or a project code)
};

std::optional<Row> readRow(const Header& header, const domain::CsvRecord& record, ImportOutcome& outcome)
{
    Row row;
    row.line = record.line;
    if (record.fields.size() != header.fields.size())
    {
        outcome.errors.push_back({record.line, "",
                                  "has " + std::to_string(record.fields.size()) + " cells where the header has " +
                                      std::to_string(header.fields.size())});
        return std::nullopt;
    }
    const auto number = [&](std::optional<std::size_t> column, std::optional<Poco::Int64>& into) {
        if (!column || Poco::trim(record.fields[*column]).empty())
            return;
        into = wholeNumber(record.fields[*column]);
        if (!into)
            outcome.errors.push_back({record.line, header.fields[*column]->name, "must be a whole number"});
    };
    const std::size_t before = outcome.errors.size();
    number(header.id, row.id);
    number(header.version, row.version);
    if (outcome.errors.size() != before)
        return std::nullopt; // which record, at which version: nothing else of the row can be checked
    if (row.version && !row.id)
    {
        outcome.errors.push_back({record.line, "id",
                                  "is needed with a version: an update names its record (a row "
                                  "without id and version creates one)"});
        return std::nullopt;
    }
    for (std::size_t i = 0; i < record.fields.size(); ++i)
    {
        const FieldSpec& field = *header.fields[i];
        const std::string& cell = record.fields[i];
        if (i == header.parent)
            row.parent = Poco::trim(cell);
        if (field.access == domain::FieldAccess::Managed)
            continue; // id, version, timestamps, the parent: not input
        if (cell.empty())
        {
            if (row.id)
                row.input[field.name] = Var(); // an update clears what the sheet leaves empty
            continue;
        }
        std::string problem;
        if (auto value = cellValue(field, cell, problem))
            row.input[field.name] = std::move(*value);
        else
            outcome.errors.push_back({record.line, field.name, problem});
    }
    if (row.id && !row.version)
    {
        outcome.errors.push_back({record.line, "version",
                                  "is needed to update a row with an id: the version it was "
                                  "exported at"});
        return std::nullopt;
    }
    return row;
}

/// A client error of a row, as errors of the outcome; anything else is not the row's fault and is thrown.
void addRowErrors(std::size_t line, const Poco::Exception& error, ImportOutcome& outcome)
{
    if (const auto* invalid = dynamic_cast<const ValidationError*>(&error))
    {
        for (const auto& fieldError : invalid->errors())
            outcome.errors.push_back({line, fieldError.field, fieldError.message});
        return;
    }
    if (dynamic_cast<const NotFoundError*>(&error) || dynamic_cast<const ForbiddenError*>(&error) ||
        dynamic_cast<const ConflictError*>(&error) || dynamic_cast<const PreconditionFailedError*>(&error) ||
        dynamic_cast<const PreconditionRequiredError*>(&error) || dynamic_cast<const BadRequestError*>(&error))
    {
        outcome.errors.push_back({line, "", error.message()});
        return;
    }
    error.rethrow();
}
} // namespace

Importer::Importer(storage::Database& database, const ResourceService& resources)
    : _database(database), _resources(resources)
{
}

ImportOutcome Importer::run(const domain::Principal& actor, ImportKind kind, const std::string& csv, bool dryRun) const
{
    _resources.policy().checkMayWriteAny(actor);
    // One import at a time: its transaction holds its projects' turns (on SQLite every writer's) for as
    // long as its rows take.
    std::unique_lock<std::mutex> turn(_running, std::try_to_lock);
    if (!turn.owns_lock())
        throw OverloadedError("another import is running; try again in a moment", 2);
    ImportOutcome outcome = importRows(actor, kind, csv, dryRun);
    if (outcome.errors.size() > MAX_ERRORS)
    {
        const std::size_t more = outcome.errors.size() - MAX_ERRORS;
        const std::size_t lastRow = outcome.errors[MAX_ERRORS - 1].row;
        outcome.errors.resize(MAX_ERRORS);
        outcome.errors.push_back({lastRow, "", "and " + std::to_string(more) + " more problems, not listed"});
    }
    return outcome;
}

ImportOutcome Importer::importRows(const domain::Principal& actor, ImportKind kind, const std::string& csv,
                                   bool dryRun) const
{
    const Resource& resource = resourceOf(kind);
    ImportOutcome outcome;
    outcome.dryRun = dryRun;
    const auto document = domain::readCsv(csv, MAX_ROWS + 1, MAX_COLUMNS);
    for (const auto& problem : document.problems)
        outcome.errors.push_back({problem.line, "", problem.message});
    if (!outcome.errors.empty())
        return outcome;
    if (document.records.size() < 2)
    {
        outcome.errors.push_back({1, "", "no rows: a header line, then a line per record"});
        return outcome;
    }
    const auto header = readHeader(resource.spec, document.records.front(), outcome);
    if (!header)
        return outcome;
    std::vector<Row> rows;
    for (std::size_t i = 1; i < document.records.size(); ++i)
        if (auto row = readRow(*header, document.records[i], outcome))
            rows.push_back(std::move(*row));
    outcome.rows = document.records.size() - 1;

    ImportOutcome attempt;
    try
    {
        storage::inTransaction(_database, [&](storage::Transaction& txn) {
            attempt = outcome; // a transaction run again starts from the rows' own errors
            // Each touched project's roll-ups refreshed once after the rows, not once per row (which made
            // an import of one project's milestones quadratic).
            std::set<Poco::Int64> touched;
            // Projects named by code, resolved in the transaction (a code renamed meanwhile names nothing
            // stale), once each.
            std::map<std::string, std::optional<Poco::Int64>> parents;
            for (const auto& row : rows)
                if (!row.parent.empty() && !parents.count(row.parent))
                    parents[row.parent] =
                        wholeNumber(row.parent)
                            ? wholeNumber(row.parent)
                            : _resources.findIdIn(txn.session(), actor, Catalogue::instance().projects,
                                                  storage::ListConditions::codeIs(row.parent));
            for (const auto& row : rows)
            {
                try
                {
                    const auto parent = row.parent.empty() ? std::nullopt : parents.at(row.parent);
                    if (!row.parent.empty() && !parent)
                        throw NotFoundError("there is no project " + row.parent);
                    if (row.id)
                    {
                        const Record stored = _resources.updateIn(txn.session(), actor, resource, *row.id, row.input,
                                                                  row.version, {}, &touched);
                        if (parent && domain::intField(stored, resource.spec.parentField) != parent)
                            throw BadRequestError("a row cannot move a record to another project");
                        ++attempt.updated;
                    }
                    else
                    {
                        (void)_resources.createIn(txn.session(), actor, resource, row.input, parent, {}, &touched);
                        ++attempt.created;
                    }
                }
                catch (const Poco::Exception& e)
                {
                    addRowErrors(row.line, e, attempt);
                }
            }
            for (const Poco::Int64 project : touched)
                if (kind == ImportKind::Milestones)
                {
                    // The roll-up still holds the state before the import: the health across the whole file.
                    const HealthWatch health(txn.session(), project, _resources.clock().nowText(),
                                             _resources.thresholds());
                    storage::RollupStore::refreshMilestones(txn.session(), project);
                    health.publishIfChanged(txn.session());
                }
                else if (kind == ImportKind::Contributions)
                    storage::RollupStore::refreshContributions(txn.session(), project);
            std::stable_sort(attempt.errors.begin(), attempt.errors.end(),
                             [](const ImportError& a, const ImportError& b) { return a.row < b.row; });
            if (dryRun || !attempt.errors.empty())
                throw RolledBack();
        });
        attempt.written = true;
    }
    catch (const RolledBack&)
    {
        attempt.written = false;
        if (!dryRun)
            attempt.created = attempt.updated = 0; // nothing was
    }
    return attempt;
}

Poco::JSON::Object::Ptr importOutcomeJson(const ImportOutcome& outcome)
{
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("dry_run", outcome.dryRun);
    json->set("written", outcome.written);
    json->set("rows", static_cast<Poco::UInt64>(outcome.rows));
    json->set("created", static_cast<Poco::UInt64>(outcome.created));
    json->set("updated", static_cast<Poco::UInt64>(outcome.updated));
    Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
    for (const auto& error : outcome.errors)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("row", static_cast<Poco::UInt64>(error.row));
        item->set("column", error.column);
        item->set("message", error.message);
        errors->add(item);
    }
    json->set("errors", errors);
    return json;
}

} // namespace captrack::service
