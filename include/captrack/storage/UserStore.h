#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>

namespace captrack::storage
{

/// What a sign-in needs of a user.
struct UserSignIn
{
    Poco::Int64 id = 0;
    std::optional<std::string> passwordHash; ///< none for a user that cannot sign in with a password
    bool disabled = true;
    Poco::Int64 tokenVersion = 0;
};

/// Who a user is now, as a bearer token's principal needs it.
struct UserIdentity
{
    Poco::Int64 id = 0;
    std::string username;
    std::string role; ///< as stored; the caller decides whether it is a role captrack knows
    std::optional<Poco::Int64> partnerId;
    bool disabled = true;
    Poco::Int64 tokenVersion = 0;
};

/// A user's record version (optimistic concurrency) and token version (sessions and API tokens).
struct UserVersions
{
    Poco::Int64 version = 0;
    Poco::Int64 tokenVersion = 0;
};

/// The credential columns of table `users`: the password hash and the token version, which every
/// session and API token carries (raising it ends them all). The rest of a user is read and written as
/// a resource (RecordStore). Each call runs on the caller's session, and so in the caller's transaction.
/// Stateless: safe for concurrent use. Driver errors propagate (Poco::Data exceptions).
class UserStore
{
public:
    explicit UserStore(const Database& database);

    /// The user with exactly this username (already normalised by the caller), if any.
    [[nodiscard]] std::optional<UserSignIn> findByUsername(Poco::Data::Session& session,
                                                           const std::string& username) const;
    /// The user with this id, if any.
    [[nodiscard]] std::optional<UserIdentity> findById(Poco::Data::Session& session, Poco::Int64 userId) const;
    /// The user's password hash; none when there is no such user or it has no password.
    [[nodiscard]] std::optional<std::string> passwordHash(Poco::Data::Session& session, Poco::Int64 userId) const;
    /// True when the table holds at least one user.
    [[nodiscard]] bool hasAny(Poco::Data::Session& session) const;

    /// The user's versions, its row locked until the transaction ends; zeros when there is no such user.
    [[nodiscard]] UserVersions lockVersions(Poco::Data::Session& session, Poco::Int64 userId) const;
    /// The user's token version, its row locked until the transaction ends; 0 when there is no such user.
    [[nodiscard]] Poco::Int64 lockTokenVersion(Poco::Data::Session& session, Poco::Int64 userId) const;

    /// Stores a password hash; nothing else of the user changes.
    void setPasswordHash(Poco::Data::Session& session, Poco::Int64 userId, const std::string& hash) const;
    /// Stores `newHash` only while the stored hash is still `oldHash` (a re-hash of the same password).
    void replacePasswordHash(Poco::Data::Session& session, Poco::Int64 userId, const std::string& oldHash,
                             const std::string& newHash) const;
    /// Stores a new password hash as a change of the user record: its version goes up by one and
    /// `updated_at` becomes `at`.
    void changePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& hash,
                        const std::string& at) const;
    /// Raises the user's token version by one, ending every token issued under the old one.
    void raiseTokenVersion(Poco::Data::Session& session, Poco::Int64 userId) const;

private:
    const Database& _database;
};

} // namespace captrack::storage
