#include "captrack/app/ImportCommand.h"

#include "captrack/Errors.h"
#include "captrack/domain/Clock.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/http/ImportApi.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/Importer.h"
#include "captrack/storage/ListConditions.h"

#include <Poco/Util/Application.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace captrack::app
{

namespace
{
// sysexits.h's codes, as the other commands answer them.
using ExitCode = Poco::Util::Application::ExitCode;
constexpr int EXIT_OK = ExitCode::EXIT_OK;
constexpr int EXIT_USAGE = ExitCode::EXIT_USAGE;
constexpr int EXIT_DATAERR = ExitCode::EXIT_DATAERR;
constexpr int EXIT_NOINPUT = ExitCode::EXIT_NOINPUT;
constexpr int EXIT_NOPERM = ExitCode::EXIT_NOPERM;

/// The user the import writes as, with the role and partner stored now; nullopt when there is no such
/// (enabled) user.
std::optional<domain::Principal> importingUser(const service::ResourceService& resources, const std::string& username)
{
    const auto& users = service::Catalogue::instance().users;
    const auto system = domain::Principal::system();
    const auto id = resources.findId(system, users, storage::ListConditions::fieldIs("username", username));
    if (!id)
        return std::nullopt;
    const auto user = resources.get(system, users, *id);
    if (domain::intField(user, "disabled").value_or(0) != 0)
        return std::nullopt;
    const auto role = domain::parseName<domain::Role>(domain::textField(user, "role").value_or(""));
    if (!role)
        return std::nullopt;
    return domain::Principal{*id, username, *role, domain::intField(user, "partner_id"),
                             domain::Credential::CommandLine};
}
} // namespace

int runImport(storage::Database& database, const ImportRequest& request, std::istream& in, std::ostream& out,
              std::ostream& err)
{
    service::ImportKind kind;
    try
    {
        kind = http::importKind(request.kind);
    }
    catch (const NotFoundError&)
    {
        err << "import what? projects, milestones or contributions (not `" << request.kind << "`)\n";
        return EXIT_USAGE;
    }
    domain::SystemClock clock;
    const service::ResourceService resources(database, clock);
    const auto actor = importingUser(resources, request.username);
    if (!actor)
    {
        err << "no enabled user `" << request.username << "`: name the user to import as with --username\n";
        return EXIT_USAGE;
    }
    std::string csv;
    if (request.file == "-")
        csv.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    else
    {
        std::ifstream file(request.file, std::ios::binary);
        if (!file)
        {
            err << "cannot read " << request.file << "\n";
            return EXIT_NOINPUT;
        }
        csv.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    service::ImportOutcome outcome;
    try
    {
        outcome = service::Importer(database, resources).run(*actor, kind, csv, request.dryRun);
    }
    catch (const ForbiddenError& e)
    {
        err << "refused: " << e.message() << "\n";
        return EXIT_NOPERM;
    }
    for (const auto& error : outcome.errors)
        err << "row " << error.row << (error.column.empty() ? "" : ", column " + error.column) << ": " << error.message
            << "\n";
    if (!outcome.errors.empty())
    {
        err << outcome.errors.size() << " problem(s) in " << outcome.rows << " row(s): nothing was written\n";
        return EXIT_DATAERR;
    }
    out << outcome.rows << " row(s): " << outcome.created << " created, " << outcome.updated << " updated"
        << (request.dryRun ? " (dry run: nothing was written)" : "") << "\n";
    return EXIT_OK;
}

} // namespace captrack::app
