#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Database.h"

#include <Poco/JSON/Object.h>

#include <mutex>
#include <string>
#include <vector>

namespace captrack::service
{

/// What an import writes: the resources a spreadsheet is kept for.
enum class ImportKind
{
    Projects,
    Milestones,
    Contributions,
};

/// One thing wrong with an import: the line of the file (1 is the header), the column (empty for the
/// whole row or file) and what is wrong, in the API's words.
struct ImportError
{
    std::size_t row = 0;
    std::string column;
    std::string message;
};

/// What an import did or, dry, would do.
struct ImportOutcome
{
    bool dryRun = false;
    bool written = false;    ///< true only for a real run without errors: every row is stored
    std::size_t rows = 0;    ///< data rows read
    std::size_t created = 0; ///< rows without an id: created (or that would be)
    std::size_t updated = 0; ///< rows with an id and a version: updated (or that would be)
    std::vector<ImportError> errors;
};

/// Imports projects, milestones or contributions from CSV (at most MAX_ROWS rows of MAX_COLUMNS columns;
/// an answer lists MAX_ERRORS errors, then how many more) (docs/HTTP.md "Import"). The header names the
/// columns: the resource's fields, as its JSON and its CSV export name them; a row with `id` and `version`
/// updates that record from that version (the columns given, an empty cell clearing the field), one
/// without creates one (an empty cell leaves the field to its default). Milestones and contributions name
/// their project in `project_id` (its id or its code). List cells hold their values separated by `;`.
/// Every row goes through ResourceService::createIn/updateIn as the importing principal, so validation,
/// access rules and audit are the API's; all rows are written in one transaction, or none: a dry run, or
/// any error, rolls it back, and the outcome lists every row's errors. Safe for concurrent use.
class Importer
{
public:
    /// The most data rows one import takes, columns a row may have, and errors an answer lists.
    static constexpr std::size_t MAX_ROWS = 2000;
    static constexpr std::size_t MAX_COLUMNS = 64;
    static constexpr std::size_t MAX_ERRORS = 1000;

    Importer(storage::Database& database, const ResourceService& resources);

    /// ForbiddenError for a principal that may change nothing (reviewers, partners); OverloadedError (503)
    /// while another import runs.
    [[nodiscard]] ImportOutcome run(const domain::Principal& actor, ImportKind kind, const std::string& csv,
                                    bool dryRun) const;

private:
    [[nodiscard]] ImportOutcome importRows(const domain::Principal& actor, ImportKind kind, const std::string& csv,
                                           bool dryRun) const;

    storage::Database& _database;
    const ResourceService& _resources;
    mutable std::mutex _running;
};

/// The outcome as the API answers it: {"dry_run", "written", "rows", "created", "updated", "errors":
/// [{"row", "column", "message"}]}.
[[nodiscard]] Poco::JSON::Object::Ptr importOutcomeJson(const ImportOutcome& outcome);

} // namespace captrack::service
