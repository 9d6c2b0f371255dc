#include "captrack/app/CaptrackApp.h"

#include "LogLineChannel.h"

#include "captrack/Errors.h"
#include "captrack/Version.h"
#include "captrack/app/ApiServer.h"
#include "captrack/app/BackupCommands.h"
#include "captrack/app/ImportCommand.h"
#include "captrack/app/ScheduleSettings.h"
#include "captrack/app/Seeder.h"
#include "captrack/app/Settings.h"
#include "captrack/app/SyntheticSeeder.h"
#include "captrack/app/TerminationSignals.h"
#include "captrack/http/OpenApi.h"
#include "captrack/service/Authentication.h"
#include "captrack/service/SecretFile.h"
#include "captrack/storage/Migrator.h"

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/Stopwatch.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace captrack::app
{

using Poco::Util::Option;

namespace
{
const char* const COMMANDS_HELP = "Commands:\n"
                                  "  serve          run the HTTP server (migrates first)\n"
                                  "  migrate        apply the schema migrations\n"
                                  "  seed [--demo]  load the reference data; --demo adds the fictional portfolio\n"
                                  "  seed --synthetic N  also tops the made-up SYN- projects up to N (benchmarks)\n"
                                  "  user add --username U --role admin|lead|reviewer|partner [--partner CODE]\n"
                                  "           [--display-name NAME] --password-stdin\n"
                                  "  user passwd --username U --password-stdin   (ends the user's sessions)\n"
                                  "  user disable|enable --username U  (disable ends the user's sessions)\n"
                                  "  user sign-out --username U  end every session and API token of the user\n"
                                  "  user list\n"
                                  "  backup --to FILE     a consistent copy of the database, while it serves\n"
                                  "  restore --from FILE  load a backup into a new, empty database\n"
                                  "  import projects|milestones|contributions --from FILE|- --username U [--dry-run]\n"
                                  "           write a CSV's rows as user U (all or none; docs/HTTP.md \"Import\")\n"
                                  "  routes         list the API routes\n"
                                  "  openapi        print the OpenAPI 3.1 document (as GET /api/v1/openapi.json)\n";

/// Opens the database of db.url (a SQLite file is created, with its folder, private to this user).
std::unique_ptr<storage::Database> openDatabase(const Poco::Util::AbstractConfiguration& config)
{
    const auto url = storage::DatabaseUrl::parse(config.getString("db.url"));
    return std::make_unique<storage::Database>(url, static_cast<std::size_t>(config.getInt("db.pool.max")));
}

/// http.shutdown_grace_seconds (fractions allowed; 0 cuts whatever is in flight at once).
Poco::Timespan shutdownGrace(const Poco::Util::AbstractConfiguration& config)
{
    const double seconds = config.getDouble("http.shutdown_grace_seconds");
    if (!(seconds >= 0 && seconds <= 86400))
        throw Poco::InvalidArgumentException("http.shutdown_grace_seconds", "must be from 0 to 86400");
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(seconds * 1e6));
}

/// Stops the server gracefully (HttpTransport::beginStop) after the first termination signal; a second
/// one ends the grace at once. Returns how many requests were cut.
std::size_t drain(ApiServer& server, TerminationSignals& signals, Poco::Logger& log)
{
    auto& transport = server.transport();
    transport.beginStop();
    while (!transport.waitStopped(Poco::Timespan(0, 100 * 1000)))
    {
        if (const int again = signals.poll(Poco::Timespan(0)))
        {
            log.warning("%s again: cutting the requests still in flight", TerminationSignals::name(again));
            transport.endGrace();
        }
    }
    return transport.cutRequests();
}
} // namespace

void CaptrackApp::initialize(Poco::Util::Application& self)
{
    // Whatever captrack creates (database, its WAL/SHM, the token secret, var/) is its user's alone.
    ::umask(S_IRWXG | S_IRWXO);
    Settings::addLayers(config());
    const std::string file = config().getString("captrack.config_file", _paths.configFile);
    // A build tree's binary runs on the defaults without a file; the installed one never does, since it
    // would then make its database under whatever folder it was started in.
    if (Poco::File(file).exists())
        loadConfiguration(file, PRIO_DEFAULT);
    else if (config().has("captrack.config_file") || _paths.installed)
        throw Poco::FileNotFoundException("configuration file", file);
    Poco::Util::ServerApplication::initialize(self);
    setUpLogging();
}

void CaptrackApp::defineOptions(Poco::Util::OptionSet& options)
{
    Poco::Util::ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "show this help (or a command's help after the command)"));
    options.addOption(Option("version", "V", "print the version and stop"));
    options.addOption(Option("config", "c", "read settings from FILE (default " + _paths.configFile + ")")
                          .argument("FILE")
                          .binding("captrack.config_file"));
    options.addOption(
        Option("set", "s", "override one setting, e.g. --set http.port=9090").argument("KEY=VALUE").repeatable(true));
    options.addOption(Option("demo", "", "with seed: also load the fictional demo portfolio and demo users"));
    options.addOption(
        Option("synthetic", "", "with seed: make N synthetic projects SYN-000001... (benchmarks)").argument("N"));
    options.addOption(Option("username", "", "with user: the username").argument("U"));
    options.addOption(Option("role", "", "with user add: admin, lead, reviewer or partner").argument("ROLE"));
    options.addOption(Option("partner", "", "with user add: the partner code of a partner user").argument("CODE"));
    options.addOption(Option("display-name", "", "with user add: the name shown").argument("NAME"));
    options.addOption(Option("password-stdin", "", "with user add/passwd: read the password from standard input"));
    options.addOption(
        Option("to", "", "with backup: the file to write (replaced atomically, mode 0600)").argument("FILE"));
    options.addOption(
        Option("from", "", "with restore: the backup file to load; with import: the CSV file (- for stdin)")
            .argument("FILE"));
    options.addOption(Option("dry-run", "", "with import: check every row, write nothing"));
}

void CaptrackApp::handleOption(const std::string& name, const std::string& value)
{
    Poco::Util::ServerApplication::handleOption(name, value);
    if (name == "help")
    {
        _helpRequested = true;
        stopOptionsProcessing();
    }
    else if (name == "version")
    {
        _versionRequested = true;
        stopOptionsProcessing();
    }
    else if (name == "set")
        Settings::addOverride(config(), value);
    else if (name == "demo")
        _demo = true;
    else if (name == "synthetic")
        _synthetic = static_cast<std::size_t>(Poco::NumberParser::parseUnsigned64(value));
    else if (name == "username")
        _userInput.username = value;
    else if (name == "role")
        _userInput.role = value;
    else if (name == "partner")
        _userInput.partnerCode = value;
    else if (name == "display-name")
        _userInput.displayName = value;
    else if (name == "password-stdin")
        _userInput.passwordFromStdin = true;
    else if (name == "to")
        _backupTo = value;
    else if (name == "from")
        _backupFrom = value;
    else if (name == "dry-run")
        _dryRun = true;
}

void CaptrackApp::printHelp(const std::string& command) const
{
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage(command.empty() ? "COMMAND [OPTIONS]" : command + " [OPTIONS]");
    help.setHeader(command.empty() ? "captrack: portfolio tracking for partnership capability development and "
                                     "scientific projects.\n\n" +
                                         std::string(COMMANDS_HELP)
                                   : "Options:");
    help.setFooter("Settings come from " + _paths.configFile +
                   " (or --config FILE), then CAPTRACK_<KEY> environment variables (db.url -> CAPTRACK_DB_URL), "
                   "then --set.");
    help.setUnixStyle(true);
    help.format(std::cout);
}

void CaptrackApp::setUpLogging()
{
    Poco::AutoPtr<Poco::Channel> channel = new LogLineChannel;
    Poco::Logger::root().setChannel(channel);
    logger().setChannel(channel);
    Poco::Logger::root().setLevel(config().getString("log.level"));
    for (const char* name : {"captrack.access", "captrack.http", "captrack.storage", "captrack"})
    {
        Poco::Logger::get(name).setChannel(channel);
        Poco::Logger::get(name).setLevel(config().getString("log.level"));
    }
}

std::string CaptrackApp::sqlRoot() const
{
    const std::string configured = config().getString("paths.sql");
    return configured.empty() ? _paths.sqlRoot : configured;
}

std::optional<int> CaptrackApp::runCommand(const std::vector<std::string>& args)
{
    if (_command == "serve")
        return serve();
    if (_command == "migrate")
        return migrate();
    if (_command == "seed")
        return seed();
    if (_command == "routes" || _command == "openapi")
        return routes();
    if (_command == "backup" || _command == "restore")
        return backupOrRestore();
    if (_command == "import")
    {
        auto pDatabase = openDatabase(config());
        storage::Migrator(*pDatabase, sqlRoot()).migrate();
        return runImport(*pDatabase, {args.size() > 1 ? args[1] : "", _backupFrom, _userInput.username, _dryRun},
                         std::cin, std::cout, std::cerr);
    }
    if (_command == "user")
    {
        _userInput.action = args.size() > 1 ? args[1] : "";
        return user();
    }
    return std::nullopt;
}

int CaptrackApp::main(const std::vector<std::string>& args)
{
    _command = args.empty() ? "" : args.front();
    if (_versionRequested)
    {
        std::cout << "captrack " << VERSION << "\n";
        return EXIT_OK;
    }
    if (_helpRequested || _command.empty())
    {
        printHelp(_command);
        return _command.empty() && !_helpRequested ? EXIT_USAGE : EXIT_OK;
    }
    // Files root made in the state directory (a database, the token secret) would lock the service out.
    if (_paths.installed && ::geteuid() == 0 && _command != "routes" && _command != "openapi")
    {
        std::cerr << "the installed captrack runs as its service user, so that the files it makes are the "
                     "service's: runuser -u captrack -- captrack "
                  << _command << " ...\n";
        return EXIT_NOPERM;
    }
    if (args.size() > (_command == "user" || _command == "import" ? 2u : 1u))
    {
        std::cerr << "unexpected argument '" << args[1] << "'; see captrack --help\n";
        return EXIT_USAGE;
    }
    try
    {
        if (const auto status = runCommand(args))
            return *status;
    }
    catch (const ValidationError& e)
    {
        std::cerr << "refused: " << e.message() << "\n";
        return EXIT_DATAERR;
    }
    catch (const ConflictError& e)
    {
        std::cerr << "refused: " << e.message() << "\n";
        return EXIT_DATAERR;
    }
    catch (const Poco::DataFormatException& e)
    {
        std::cerr << "refused: " << e.message() << "\n";
        return EXIT_DATAERR;
    }
    catch (const Poco::Exception& e)
    {
        logger().fatal(e.displayText());
        return EXIT_SOFTWARE;
    }
    std::cerr << "unknown command '" << _command << "'\n" << COMMANDS_HELP;
    return EXIT_USAGE;
}

int CaptrackApp::migrate()
{
    auto pDatabase = openDatabase(config());
    const auto applied = storage::Migrator(*pDatabase, sqlRoot()).migrate();
    std::cout << "database " << pDatabase->url().display << ": " << applied.size() << " migration(s) applied\n";
    return EXIT_OK;
}

int CaptrackApp::seed()
{
    auto pDatabase = openDatabase(config());
    storage::Migrator(*pDatabase, sqlRoot()).migrate();
    domain::SystemClock clock;
    Seeder seeder(*pDatabase, clock, sqlRoot() + "/seed");
    const auto reference = seeder.loadReference();
    std::cout << "reference data: " << reference.created << " created, " << reference.skipped << " already there\n";
    if (_demo)
    {
        const auto demo = seeder.loadDemo();
        std::cout << "demo portfolio: " << demo.created << " records created, " << demo.skipped
                  << " projects already there\n";
        service::ResourceService resources(*pDatabase, clock);
        service::Authentication auth(*pDatabase, clock, resources, serverOptions().auth);
        // Printed to the console only, never logged; each run gives the demo users new passwords.
        std::cout << "demo users (new passwords on every run of seed --demo):\n";
        for (const auto& [username, password] : UserCommands(resources, auth.users(), auth.signOut()).resetDemoUsers())
            std::cout << "  " << username << "  " << password << "\n";
    }
    if (_synthetic > 0)
    {
        const auto synthetic = SyntheticSeeder(*pDatabase).seed(_synthetic, &std::cout);
        std::cout << "synthetic portfolio: " << synthetic.projects << " projects (" << synthetic.rows()
                  << " rows) added in " << synthetic.seconds << " s, " << synthetic.existing << " already there\n";
    }
    return EXIT_OK;
}

int CaptrackApp::backupOrRestore()
{
    const bool backup = _command == "backup";
    // `backup --from FILE` would overwrite the very backup its user meant to read.
    if (!(backup ? _backupFrom : _backupTo).empty())
        throw ValidationError(backup ? "from" : "to", backup ? "is for restore; backup writes --to FILE"
                                                             : "is for backup; restore reads --from FILE");
    const std::string& backupFile = backup ? _backupTo : _backupFrom;
    if (backupFile.empty())
        throw ValidationError(backup ? "to" : "from", backup ? "is required (--to FILE)" : "is required (--from FILE)");
    // Opening a SQLite database creates its file: neither a backup of a database that is not there nor a
    // restore from a file that is not there may leave one behind.
    const auto url = storage::DatabaseUrl::parse(config().getString("db.url"));
    if (backup && url.dialect == storage::Dialect::SQLite && url.sqlitePath != ":memory:" &&
        !Poco::File(url.sqlitePath).exists())
        throw Poco::FileNotFoundException("no database at " + url.sqlitePath);
    if (!backup && !Poco::File(backupFile).exists())
        throw Poco::FileNotFoundException("no backup at " + backupFile);
    auto pDatabase = openDatabase(config());
    domain::SystemClock clock;
    const BackupCommands commands(*pDatabase, clock, sqlRoot());
    if (backup)
        commands.backup(backupFile, std::cout);
    else
        commands.restore(backupFile, std::cout);
    return EXIT_OK;
}

int CaptrackApp::user()
{
    auto pDatabase = openDatabase(config());
    storage::Migrator(*pDatabase, sqlRoot()).migrate();
    domain::SystemClock clock;
    service::ResourceService resources(*pDatabase, clock);
    service::Authentication auth(*pDatabase, clock, resources, serverOptions().auth);
    UserCommands(resources, auth.users(), auth.signOut()).run(_userInput, std::cin, std::cout);
    return EXIT_OK;
}

ServerOptions CaptrackApp::serverOptions() const
{
    ServerOptions options;
    options.http.address = config().getString("http.address");
    options.metrics.networks = http::MetricsAccess::parseNetworks(config().getString("metrics.allow"));
    options.metrics.token = config().getString("metrics.token");
    options.http.port = static_cast<Poco::UInt16>(config().getInt("http.port"));
    options.http.workers = config().getInt("http.threads");
    options.http.backlog = config().getInt("http.queue");
    options.http.requestDeadline = Poco::Timespan(config().getInt64("http.request_deadline_ms") * 1000);
    options.http.idleTimeout = Poco::Timespan(config().getInt("http.idle_timeout_seconds"), 0);
    options.http.maxConnections = config().getInt("http.max_connections");
    options.http.maxConnectionsPerAddress = config().getInt("http.max_connections_per_address");
    options.http.shutdownGrace = shutdownGrace(config());
    options.auth.secret = service::loadOrCreateSecret(config().getString("auth.secret_file"));
    options.auth.tokenLifetimeSeconds = config().getInt("auth.token_lifetime");
    options.auth.pbkdf2Iterations = config().getInt("auth.pbkdf2_iterations");
    options.auth.failureDelayMs = config().getInt("auth.failure_delay_ms");
    options.auth.maxUserFailures = config().getInt("auth.max_user_failures");
    options.auth.maxAddressFailures = config().getInt("auth.max_address_failures");
    options.auth.lockoutSeconds = config().getInt("auth.lockout_seconds");
    options.thresholds.redOverdueDays = config().getInt("health.red_overdue_days");
    options.thresholds.redSlipDays = config().getInt("health.red_slip_days");
    options.thresholds.amberOverdueDays = config().getInt("health.amber_overdue_days");
    options.thresholds.amberSlipDays = config().getInt("health.amber_slip_days");
    options.reports.maxConcurrent = static_cast<std::size_t>(config().getUInt("reports.max_concurrent"));
    options.worklist.lookAheadDays =
        Settings::wholeNumberIn(config(), "lead.look_ahead_days", 0, service::WorklistWindow::MAX_LOOK_AHEAD_DAYS);
    options.worklist.staleDays =
        Settings::wholeNumberIn(config(), "lead.stale_days", 1, service::WorklistWindow::MAX_STALE_DAYS);
    options.mail = Settings::mailOptions(config());
    options.snapshotSchedule = scheduleOptions(config());
    options.webhooks.deliver = config().getBool("webhooks.deliver");
    options.webhooks.retryBaseSeconds = Settings::wholeNumberIn(config(), "webhooks.retry_base_seconds", 1, 86400);
    options.webhooks.retryCapSeconds = Settings::wholeNumberIn(config(), "webhooks.retry_cap_seconds", 1, 7 * 86400);
    options.webhooks.maxAttempts =
        static_cast<int>(Settings::wholeNumberIn(config(), "webhooks.max_attempts", 1, 1000));
    options.webhooks.timeoutMs = Settings::wholeNumberIn(config(), "webhooks.timeout_ms", 100, 60000);
    options.webhooks.pollMs = Settings::wholeNumberIn(config(), "webhooks.poll_ms", 10, 3600000);
    // Held past two timeouts (connect, answer), so that a lease never runs out while its attempt runs.
    options.webhooks.leaseSeconds = std::max(60L, 3 * options.webhooks.timeoutMs / 1000);
    return options;
}

int CaptrackApp::routes()
{
    storage::Database database(storage::DatabaseUrl::parse("sqlite::memory:"), 1);
    domain::SystemClock clock;
    ServerOptions options;
    options.auth.secret = std::string(64, 'x');
    options.auth.pbkdf2Iterations = 1;
    ApiServer server(database, clock, options);
    if (_command == "openapi")
    {
        std::cout << http::openApiDocument(server.router()) << "\n";
        return EXIT_OK;
    }
    for (const auto& route : server.router().routes())
        std::cout << route << "\n";
    return EXIT_OK;
}

int CaptrackApp::serve()
{
    // First: every thread started from here on (the pool's, the server's) inherits the blocked signals.
    TerminationSignals signals;
    auto pDatabase = openDatabase(config());
    const auto applied = storage::Migrator(*pDatabase, sqlRoot()).migrate();
    domain::SystemClock clock;
    const auto reference = Seeder(*pDatabase, clock, sqlRoot() + "/seed").loadReference();
    const ServerOptions options = serverOptions();
    ApiServer server(*pDatabase, clock, options);
    if (const auto password = server.auth().users().createFirstAdminIfNone())
    {
        // Printed once, to the console only (never to a log): it is not stored anywhere readable.
        std::cout << "\nNo users yet: created the administrator.\n  username: admin\n  password: " << *password
                  << "\nSign in with POST /api/v1/auth/login and change it (captrack user passwd).\n"
                  << std::endl;
    }
    server.start();
    logger().information("database %s: %z migration(s) applied, %d reference record(s) added", pDatabase->url().display,
                         applied.size(), reference.created);
    logger().information("captrack listening on http://%s:%hu/ (GET /api/v1/projects to start)", options.http.address,
                         server.port());
    const int signal = signals.wait();
    Poco::Stopwatch stopping;
    stopping.start();
    logger().information("%s: stopping; requests in flight have up to %.1f s (http.shutdown_grace_seconds)",
                         TerminationSignals::name(signal),
                         static_cast<double>(options.http.shutdownGrace.totalMicroseconds()) / 1e6);
    if (const std::size_t cut = drain(server, signals, logger()))
    {
        // The handlers of the requests cut still run on the pool and the stores: destroying them
        // under those threads would be a use-after-free, and waiting for them would break the grace.
        // End the process as it stands: uncommitted transactions roll back (SQLite's journal,
        // MariaDB on disconnect); nothing cut was acknowledged. docs/HTTP.md "Stopping".
        logger().error("stopped after %.3f s with %z request(s) cut (grace over or a second signal); exit %d",
                       static_cast<double>(stopping.elapsed()) / 1e6, cut, static_cast<int>(EXIT_TEMPFAIL));
        std::cout.flush();
        std::clog.flush();
        std::_Exit(EXIT_TEMPFAIL);
    }
    server.stop();
    logger().information("stopped in %.3f s: every request answered", static_cast<double>(stopping.elapsed()) / 1e6);
    return EXIT_OK;
}

} // namespace captrack::app
