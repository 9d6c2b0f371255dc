#include "captrack/app/UserCommands.h"

#include "captrack/Errors.h"
#include "captrack/service/Catalogue.h"

#include <Poco/String.h>

#include <iomanip>
#include <istream>
#include <ostream>

namespace captrack::app
{

using domain::Principal;
using domain::Record;
using Poco::Dynamic::Var;

namespace
{
const char* const DEMO_LEAD_PROJECTS[] = {"DEMO-MYP-001", "DEMO-MYP-002", "DEMO-MYP-003",
                                          "DEMO-MYP-004", "DEMO-DCB-001", "DEMO-DCB-002"};

std::string readPassword(std::istream& in)
{
    std::string password;
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    return password;
}
} // namespace

UserCommands::UserCommands(const service::ResourceService& resources, service::AuthService& auth)
    : _resources(resources), _auth(auth)
{
}

Poco::Int64 UserCommands::userId(const std::string& username) const
{
    const auto id =
        _resources.findId(Principal::system(), service::Catalogue::instance().users, {"username = ?", {Var(username)}});
    if (!id)
        throw NotFoundError("no user named " + username);
    return *id;
}

void UserCommands::setPassword(const std::string& username, const std::string& password) const
{
    const auto& users = service::Catalogue::instance().users;
    const Record user = _resources.get(Principal::system(), users, userId(username));
    _auth.updateUser(Principal::system(), domain::recordId(user), {{"password", password}},
                     domain::intField(user, "version"));
}

void UserCommands::run(const UserCommandInput& input, std::istream& in, std::ostream& out) const
{
    const auto& users = service::Catalogue::instance().users;
    if (input.action == "list")
    {
        storage::ListQuery all;
        all.limit = 100000;
        all.sort = {{"username", false}};
        for (const auto& user : _resources.list(Principal::system(), users, all).items)
            out << std::left << std::setw(24) << *domain::textField(user, "username") << std::setw(10)
                << *domain::textField(user, "role") << (domain::intField(user, "disabled") == 1 ? "disabled " : "")
                << *domain::textField(user, "display_name") << "\n";
        return;
    }
    if (input.username.empty())
        throw ValidationError("username", "is required (--username)");
    if (input.action == "add" || input.action == "passwd")
    {
        if (!input.passwordFromStdin)
            throw ValidationError("password", "give it on standard input with --password-stdin");
        const std::string password = readPassword(in);
        if (input.action == "passwd")
        {
            setPassword(input.username, password);
            out << "password changed for " << input.username << "\n";
            return;
        }
        Record record{{"username", input.username},
                      {"display_name", input.displayName.empty() ? input.username : input.displayName},
                      {"role", input.role},
                      {"password", password}};
        if (!input.partnerCode.empty())
        {
            const auto partner = _resources.findId(Principal::system(), service::Catalogue::instance().partners,
                                                   {"code = ?", {Var(input.partnerCode)}});
            if (!partner)
                throw ValidationError("partner", "no partner with code " + input.partnerCode);
            record["partner_id"] = *partner;
        }
        const Record stored = _auth.createUser(Principal::system(), record);
        out << "created user " << input.username << " (id " << domain::recordId(stored) << ", " << input.role << ")\n";
        return;
    }
    if (input.action == "disable" || input.action == "enable")
    {
        const Record user = _resources.get(Principal::system(), users, userId(input.username));
        _auth.updateUser(Principal::system(), domain::recordId(user), {{"disabled", Var(input.action == "disable")}},
                         domain::intField(user, "version"));
        out << input.username << (input.action == "disable" ? " disabled\n" : " enabled\n");
        return;
    }
    if (input.action == "sign-out")
    {
        _auth.signOutUser(Principal::system(), userId(input.username));
        out << "signed " << input.username << " out everywhere (every session and API token ended)\n";
        return;
    }
    throw ValidationError("command",
                          "unknown user command '" + input.action + "' (add, passwd, disable, enable, sign-out, list)");
}

std::map<std::string, std::string> UserCommands::resetDemoUsers() const
{
    const auto& c = service::Catalogue::instance();
    const auto moldova = _resources.findId(Principal::system(), c.partners, {"code = ?", {Var("MDA")}});
    const std::pair<const char*, const char*> demo[] = {
        {"demo-admin", "admin"}, {"demo-lead", "lead"}, {"demo-reviewer", "reviewer"}, {"demo-partner", "partner"}};
    std::map<std::string, std::string> passwords;
    for (const auto& [username, role] : demo)
    {
        const std::string password = service::AuthService::randomPassword();
        if (_resources.findId(Principal::system(), c.users, {"username = ?", {Var(username)}}))
            setPassword(username, password);
        else
        {
            Record record{{"username", username},
                          {"display_name", std::string("Demo ") + role},
                          {"role", role},
                          {"password", password}};
            if (std::string(role) == "partner" && moldova)
                record["partner_id"] = *moldova;
            _auth.createUser(Principal::system(), record);
        }
        passwords[username] = password;
    }
    const Poco::Int64 lead = userId("demo-lead");
    for (const char* code : DEMO_LEAD_PROJECTS)
    {
        const auto projectId = _resources.findId(Principal::system(), c.projects, {"code = ?", {Var(code)}});
        if (!projectId)
            continue;
        const Record project = _resources.get(Principal::system(), c.projects, *projectId);
        if (!domain::intField(project, "lead_user_id"))
            _resources.update(Principal::system(), c.projects, *projectId, {{"lead_user_id", lead}},
                              domain::intField(project, "version"));
    }
    return passwords;
}

} // namespace captrack::app
