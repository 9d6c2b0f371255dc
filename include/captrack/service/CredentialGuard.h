#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Database.h"

#include <string>

namespace captrack::service
{

/// Who may manage credentials (passwords, API tokens, sign-outs): only a principal signed in with a
/// password (a session) or the system, never an API token; and another user's only when the
/// AccessPolicy lets the actor change that user (admins). Stateless apart from references to
/// thread-safe objects: thread-safe.
class CredentialGuard
{
public:
    CredentialGuard(storage::Database& database, const ResourceService& resources);

    /// ForbiddenError, saying the principal cannot `what` with an API token, unless it signed in with
    /// a password (or is the system).
    static void requirePasswordSession(const domain::Principal& principal, const std::string& what);
    /// NotFoundError when there is no such user (or the actor may not see it), ForbiddenError unless the
    /// AccessPolicy lets the actor change it.
    void checkMayChangeUser(const domain::Principal& actor, Poco::Int64 userId) const;

private:
    storage::Database& _database;
    const ResourceService& _resources;
};

} // namespace captrack::service
