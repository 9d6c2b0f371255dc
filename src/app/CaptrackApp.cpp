#include "captrack/app/CaptrackApp.h"

#include "captrack/app/ApiServer.h"
#include "captrack/app/Seeder.h"
#include "captrack/app/Settings.h"
#include "captrack/storage/Migrator.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <iostream>

namespace captrack::app
{

using Poco::Util::Option;

namespace
{
const char* const COMMANDS_HELP = "Commands:\n"
                                  "  serve          run the HTTP server (migrates first)\n"
                                  "  migrate        apply the schema migrations\n"
                                  "  seed [--demo]  load the reference data; --demo adds the fictional portfolio\n"
                                  "  routes         list the API routes\n";

std::unique_ptr<storage::Database> openDatabase(const Poco::Util::AbstractConfiguration& config)
{
    const auto url = storage::DatabaseUrl::parse(config.getString("db.url"));
    if (url.dialect == storage::Dialect::SQLite && url.sqlitePath != ":memory:")
    {
        const Poco::Path parent = Poco::Path(url.sqlitePath).parent();
        if (!parent.toString().empty())
            Poco::File(parent).createDirectories();
    }
    return std::make_unique<storage::Database>(url, static_cast<std::size_t>(config.getInt("db.pool.max")));
}
} // namespace

void CaptrackApp::initialize(Poco::Util::Application& self)
{
    Settings::addLayers(config());
    const std::string file = config().getString("captrack.config_file", "etc/captrack.properties");
    if (Poco::File(file).exists())
        loadConfiguration(file, PRIO_DEFAULT);
    else if (config().has("captrack.config_file"))
        throw Poco::FileNotFoundException("configuration file", file);
    Poco::Util::ServerApplication::initialize(self);
    setUpLogging();
}

void CaptrackApp::defineOptions(Poco::Util::OptionSet& options)
{
    Poco::Util::ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "show this help (or a command's help after the command)"));
    options.addOption(Option("config", "c", "read settings from FILE (default etc/captrack.properties)")
                          .argument("FILE")
                          .binding("captrack.config_file"));
    options.addOption(
        Option("set", "s", "override one setting, e.g. --set http.port=9090").argument("KEY=VALUE").repeatable(true));
    options.addOption(Option("demo", "", "with seed: also load the fictional demo portfolio"));
}

void CaptrackApp::handleOption(const std::string& name, const std::string& value)
{
    Poco::Util::ServerApplication::handleOption(name, value);
    if (name == "help")
    {
        _helpRequested = true;
        stopOptionsProcessing();
    }
    else if (name == "set")
        Settings::addOverride(config(), value);
    else if (name == "demo")
        _demo = true;
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
    help.setFooter("Settings come from etc/captrack.properties, then CAPTRACK_<KEY> environment variables "
                   "(db.url -> CAPTRACK_DB_URL), then --set.");
    help.setUnixStyle(true);
    help.format(std::cout);
}

void CaptrackApp::setUpLogging()
{
    Poco::AutoPtr<Poco::PatternFormatter> formatter = new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t");
    formatter->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::FormattingChannel> channel = new Poco::FormattingChannel(formatter, new Poco::ConsoleChannel);
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
    if (!configured.empty())
        return configured;
    return Poco::File("sql/sqlite").exists() ? std::string("sql") : std::string(CAPTRACK_SOURCE_DIR) + "/sql";
}

int CaptrackApp::main(const std::vector<std::string>& args)
{
    _command = args.empty() ? "" : args.front();
    if (_helpRequested || _command.empty())
    {
        printHelp(_command);
        return _command.empty() && !_helpRequested ? EXIT_USAGE : EXIT_OK;
    }
    if (args.size() > 1)
    {
        std::cerr << "unexpected argument '" << args[1] << "'; see captrack --help\n";
        return EXIT_USAGE;
    }
    try
    {
        if (_command == "serve")
            return serve();
        if (_command == "migrate")
            return migrate();
        if (_command == "seed")
            return seed();
        if (_command == "routes")
            return routes();
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
    }
    return EXIT_OK;
}

int CaptrackApp::routes()
{
    storage::Database database(storage::DatabaseUrl::parse("sqlite::memory:"), 1);
    domain::SystemClock clock;
    ApiServer server(database, clock, ServerOptions{});
    for (const auto& route : server.router().routes())
        std::cout << route << "\n";
    return EXIT_OK;
}

int CaptrackApp::serve()
{
    auto pDatabase = openDatabase(config());
    const auto applied = storage::Migrator(*pDatabase, sqlRoot()).migrate();
    domain::SystemClock clock;
    const auto reference = Seeder(*pDatabase, clock, sqlRoot() + "/seed").loadReference();
    ServerOptions options;
    options.address = config().getString("http.address");
    options.port = static_cast<Poco::UInt16>(config().getInt("http.port"));
    options.threads = config().getInt("http.threads");
    options.queue = config().getInt("http.queue");
    ApiServer server(*pDatabase, clock, options);
    server.start();
    logger().information("database %s: %z migration(s) applied, %d reference record(s) added", pDatabase->url().display,
                         applied.size(), reference.created);
    logger().information("captrack listening on http://%s:%hu/ (GET /api/v1/projects to start)", options.address,
                         server.port());
    waitForTerminationRequest();
    logger().information("stopping: finishing requests in flight");
    server.stop();
    return EXIT_OK;
}

} // namespace captrack::app
