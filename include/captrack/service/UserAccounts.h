#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/domain/Record.h"
#include "captrack/service/PasswordHasher.h"
#include "captrack/service/ResourceService.h"
#include "captrack/service/SignOut.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <optional>
#include <string>

namespace captrack::service
{

/// Users with their passwords: creating and updating a user from client input that may carry
/// `password` (validated by PasswordPolicy, stored hashed, never logged), and the first administrator
/// of an empty database. The rest of a user is a resource like any other (ResourceService). Stateless
/// apart from references to thread-safe objects: thread-safe.
class UserAccounts
{
public:
    UserAccounts(storage::Database& database, const ResourceService& resources, const PasswordHasher& hasher,
                 const SignOut& signOut);

    /// Creates a user from client input that includes `password`; ValidationError listing every bad
    /// field (the password's included), and what ResourceService::create throws.
    domain::Record createUser(const domain::Principal& actor, const domain::Record& input) const;
    /// Updates a user; input may include `password` (a reset). A reset, and `disabled: true`, end every
    /// session and API token of the user and are audited as such. ForbiddenError for a reset by a
    /// principal signed in with an API token, or of the actor's own password (PasswordChange does
    /// that); otherwise what ResourceService::update throws.
    domain::Record updateUser(const domain::Principal& actor, Poco::Int64 id, const domain::Record& input,
                              std::optional<Poco::Int64> expectedVersion) const;
    /// The id of the user with exactly this username, if any.
    [[nodiscard]] std::optional<Poco::Int64> findId(const std::string& username) const;
    /// When there is no user at all, creates `admin` with a random password and returns that password;
    /// nullopt when there are users (or another server created the administrator at the same time).
    std::optional<std::string> createFirstAdminIfNone() const;

private:
    void storePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& password) const;

    storage::Database& _database;
    const ResourceService& _resources;
    const PasswordHasher& _hasher;
    const SignOut& _signOut;
    storage::UserStore _users;
};

} // namespace captrack::service
