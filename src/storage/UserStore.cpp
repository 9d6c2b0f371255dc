#include "captrack/storage/UserStore.h"

#include "NullableColumns.h"

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
    Poco::Int64 id = userId, found = 0, disabled = 1, tokenVersion = -1;
    UserIdentity user;
    Poco::Nullable<Poco::Int64> partnerId;
    session << "SELECT id, username, role, partner_id, disabled, token_version FROM users WHERE id = ?", use(id),
        into(found), into(user.username), into(user.role), into(partnerId), into(disabled), into(tokenVersion), now;
    if (found == 0)
        return std::nullopt;
    user.id = found;
    user.disabled = disabled != 0;
    user.tokenVersion = tokenVersion;
    if (!partnerId.isNull())
        user.partnerId = partnerId.value();
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
