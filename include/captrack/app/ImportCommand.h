#pragma once

#include "captrack/storage/Database.h"

#include <istream>
#include <ostream>
#include <string>

namespace captrack::app
{

/// What `captrack import` was asked.
struct ImportRequest
{
    std::string kind;     ///< projects, milestones or contributions
    std::string file;     ///< the CSV file; "-" for standard input
    std::string username; ///< the user the rows are written (and audited) as: their access rules apply
    bool dryRun = false;
};

/// `captrack import KIND --from FILE --username U [--dry-run]`: service::Importer as that user (who must
/// exist and not be disabled). Prints what was (or would be) written, or every row's errors as "row R,
/// column C: message"; returns 0 when the import wrote (or would write) every row, 65 for errors in the
/// file (nothing written), 64 for a bad request (unknown kind, unknown user), 66 for a file that cannot be read, 77 for
/// a user whose role may not write.
int runImport(storage::Database& database, const ImportRequest& request, std::istream& in, std::ostream& out,
              std::ostream& err);

} // namespace captrack::app
