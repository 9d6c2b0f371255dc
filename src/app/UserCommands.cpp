#include "captrack/app/UserCommands.h"

#include "captrack/Errors.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/PasswordPolicy.h"

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

UserCommands::UserCommands(const service::ResourceService& resources, const service::UserAccounts& accounts,
                           const service::SignOut& signOut)
    : _resources(resources), _accounts(accounts), _signOut(signOut)
{
}

Poco::Int64 UserCommands::userId(const std::string& username) const
{
    const auto id = _accounts.findId(username);
    if (!id)
        throw NotFoundError("no user named " + username);
    return *id;
}

void UserCommands::setPassword(const std::string& username, const std::string& password) const
{
    const auto& users = service::Catalogue::instance().users;
    const Record user = _resources.get(Principal::system(), users, userId(username));
    _accounts.updateUser(Principal::system(), domain::recordId(user), {{"password", password}},
                         domain::intField(user, "version"));
}

std::optional<Poco::Int64> UserCommands::idByCode(const service::Resource& resource, const std::string& code) const
{
    return _resources.findId(Principal::system(), resource, {"code = ?", {Var(code)}});
}

void UserCommands::run(const UserCommandInput& input, std::istream& in, std::ostream& out) const
{
    if (input.action == "list")
        return list(out);
    if (input.username.empty())
        throw ValidationError("username", "is required (--username)");
    if (input.action == "add" || input.action == "passwd")
    {
        if (!input.passwordFromStdin)
            throw ValidationError("password", "give it on standard input with --password-stdin");
        const std::string password = readPassword(in);
        if (input.action == "add")
            return addUser(input, password, out);
        setPassword(input.username, password);
        out << "password changed for " << input.username << "\n";
        return;
    }
    if (input.action == "disable" || input.action == "enable")
        return setDisabled(input.username, input.action == "disable", out);
    if (input.action == "sign-out")
    {
        _signOut.signOutUser(Principal::system(), userId(input.username));
        out << "signed " << input.username << " out everywhere (every session and API token ended)\n";
        return;
    }
    throw ValidationError("command",
                          "unknown user command '" + input.action + "' (add, passwd, disable, enable, sign-out, list)");
}

void UserCommands::list(std::ostream& out) const
{
    storage::ListQuery all;
    all.limit = 100000;
    all.sort = {{"username", false}};
    for (const auto& user : _resources.list(Principal::system(), service::Catalogue::instance().users, all).items)
        out << std::left << std::setw(24) << *domain::textField(user, "username") << std::setw(10)
            << *domain::textField(user, "role") << (domain::intField(user, "disabled") == 1 ? "disabled " : "")
            << *domain::textField(user, "display_name") << "\n";
}

void UserCommands::addUser(const UserCommandInput& input, const std::string& password, std::ostream& out) const
{
    Record record{{"username", input.username},
                  {"display_name", input.displayName.empty() ? input.username : input.displayName},
                  {"role", input.role},
                  {"password", password}};
    if (!input.partnerCode.empty())
    {
        const auto partner = idByCode(service::Catalogue::instance().partners, input.partnerCode);
        if (!partner)
            throw ValidationError("partner", "no partner with code " + input.partnerCode);
        record["partner_id"] = *partner;
    }
    const Record stored = _accounts.createUser(Principal::system(), record);
    out << "created user " << input.username << " (id " << domain::recordId(stored) << ", " << input.role << ")\n";
}

void UserCommands::setDisabled(const std::string& username, bool disabled, std::ostream& out) const
{
    const Record user = _resources.get(Principal::system(), service::Catalogue::instance().users, userId(username));
    _accounts.updateUser(Principal::system(), domain::recordId(user), {{"disabled", Var(disabled)}},
                         domain::intField(user, "version"));
    out << username << (disabled ? " disabled\n" : " enabled\n");
}

std::map<std::string, std::string> UserCommands::resetDemoUsers() const
{
    const auto moldova = idByCode(service::Catalogue::instance().partners, "MDA");
    const std::pair<const char*, domain::Role> demo[] = {{"demo-admin", domain::Role::Admin},
                                                         {"demo-lead", domain::Role::Lead},
                                                         {"demo-reviewer", domain::Role::Reviewer},
                                                         {"demo-partner", domain::Role::Partner}};
    std::map<std::string, std::string> passwords;
    for (const auto& [username, role] : demo)
    {
        const std::string password = service::PasswordPolicy::randomPassword();
        if (_accounts.findId(username))
            setPassword(username, password);
        else
        {
            Record record{{"username", username},
                          {"display_name", "Demo " + domain::nameText(role)},
                          {"role", domain::nameText(role)},
                          {"password", password}};
            if (role == domain::Role::Partner && moldova)
                record["partner_id"] = *moldova;
            _accounts.createUser(Principal::system(), record);
        }
        passwords[username] = password;
    }
    leadDemoProjects(userId("demo-lead"));
    return passwords;
}

void UserCommands::leadDemoProjects(Poco::Int64 lead) const
{
    const auto& projects = service::Catalogue::instance().projects;
    for (const char* code : DEMO_LEAD_PROJECTS)
    {
        const auto projectId = idByCode(projects, code);
        if (!projectId)
            continue;
        const Record project = _resources.get(Principal::system(), projects, *projectId);
        if (!domain::intField(project, "lead_user_id"))
            _resources.update(Principal::system(), projects, *projectId, {{"lead_user_id", lead}},
                              domain::intField(project, "version"));
    }
}

} // namespace captrack::app
