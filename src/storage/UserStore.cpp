#include "captrack/storage/UserStore.h"

#include "NullableColumns.h"
#include "Query.h"

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

UserStore::UserStore(const Database& database) : _database(database) {}

std::optional<UserSignIn> UserStore::findByUsername(Poco::Data::Session& session, const std::string& username) const
{
    Poco::Nullable<std::string> hash;
    Poco::Int64 id = 0, disabled = 1, tokenVersion = 0;
    std::string name = username;
    session << "SELECT id, password_hash, disabled, token_version FROM users WHERE username = ?", use(name), into(id),
        into(hash), into(disabled), into(tokenVersion), now;
    if (id == 0)
        return std::nullopt;
    return UserSignIn{id, optionalOf(hash), disabled != 0, tokenVersion};
}

std::optional<UserIdentity> UserStore::findById(Poco::Data::Session& session, Poco::Int64 userId) const
{
    // On every authenticated request: one prepared statement, re-executed.
    Query query(session, "SELECT id, username, role, partner_id, disabled, token_version FROM users WHERE id = ?");
    query.bind(userId);
    if (!query.next())
        return std::nullopt;
    UserIdentity user;
    user.id = query.integer(0);
    user.username = query.text(1);
    user.role = query.text(2);
    user.partnerId = query.optionalInteger(3);
    user.disabled = query.integer(4) != 0;
    user.tokenVersion = query.integer(5);
    return user;
}

std::optional<std::string> UserStore::passwordHash(Poco::Data::Session& session, Poco::Int64 userId) const
{
    Poco::Nullable<std::string> hash;
    session << "SELECT password_hash FROM users WHERE id = ?", bind(userId), into(hash), now;
    return optionalOf(hash);
}

bool UserStore::hasAny(Poco::Data::Session& session) const
{
    Poco::Int64 users = 0;
    session << "SELECT COUNT(*) FROM users", into(users), now;
    return users > 0;
}

UserVersions UserStore::lockVersions(Poco::Data::Session& session, Poco::Int64 userId) const
{
    UserVersions versions;
    session << std::string("SELECT version, token_version FROM users WHERE id = ?") + _database.lockRowsSuffix(),
        bind(userId), into(versions.version), into(versions.tokenVersion), now;
    return versions;
}

Poco::Int64 UserStore::lockTokenVersion(Poco::Data::Session& session, Poco::Int64 userId) const
{
    Poco::Int64 version = 0;
    session << std::string("SELECT token_version FROM users WHERE id = ?") + _database.lockRowsSuffix(), bind(userId),
        into(version), now;
    return version;
}

void UserStore::setPasswordHash(Poco::Data::Session& session, Poco::Int64 userId, const std::string& hash) const
{
    session << "UPDATE users SET password_hash = ? WHERE id = ?", bind(hash), bind(userId), now;
}

void UserStore::replacePasswordHash(Poco::Data::Session& session, Poco::Int64 userId, const std::string& oldHash,
                                    const std::string& newHash) const
{
    session << "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", bind(newHash), bind(userId),
        bind(oldHash), now;
}

void UserStore::changePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& hash,
                               const std::string& at) const
{
    session << "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?", bind(hash),
        bind(at), bind(userId), now;
}

void UserStore::raiseTokenVersion(Poco::Data::Session& session, Poco::Int64 userId) const
{
    session << "UPDATE users SET token_version = token_version + 1 WHERE id = ?", bind(userId), now;
}

} // namespace captrack::storage
