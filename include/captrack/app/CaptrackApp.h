#pragma once

#include "captrack/app/ApiServer.h"
#include "captrack/app/RuntimePaths.h"
#include "captrack/app/UserCommands.h"

#include <Poco/Util/ServerApplication.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::app
{

/// The `captrack` binary: `serve`, `migrate`, `seed [--demo]`, `user ...`, `backup`, `restore`, `routes`,
/// each reading the same settings (Settings) from the same files (RuntimePaths: a build tree's binary
/// reads etc/captrack.properties and sql/, the installed one /etc/captrack and /usr/share/captrack). Owns
/// everything it builds for the command it runs.
/// Runs on the main thread; what `serve` starts has its own rules (ApiServer).
class CaptrackApp : public Poco::Util::ServerApplication
{
protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    /// Runs the command named by the first argument; none when there is no such command. Throws what
    /// the command throws (main() turns it into an exit status).
    std::optional<int> runCommand(const std::vector<std::string>& args);
    int serve();
    int migrate();
    int seed();
    int routes(); ///< `routes` (the table) and `openapi` (the OpenAPI document)
    int user();
    int backupOrRestore();
    void printHelp(const std::string& command) const;
    void setUpLogging();
    [[nodiscard]] std::string sqlRoot() const;
    [[nodiscard]] ServerOptions serverOptions() const;

    bool _helpRequested = false;
    bool _versionRequested = false;
    bool _dryRun = false; ///< import --dry-run
    bool _demo = false;
    std::size_t _synthetic = 0; ///< seed --synthetic N
    UserCommandInput _userInput;
    std::string _backupTo;   ///< backup --to FILE
    std::string _backupFrom; ///< restore --from FILE
    std::string _command;
    const RuntimePaths _paths = RuntimePaths::ofThisProcess();
};

} // namespace captrack::app
