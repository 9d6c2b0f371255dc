#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/storage/Database.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// Filters of the audit trail; every one optional.
struct AuditQuery
{
    std::optional<std::string> since; ///< RFC 3339 time or date, inclusive
    std::optional<std::string> until; ///< RFC 3339 time or date, exclusive
    std::optional<Poco::Int64> userId;
    std::optional<std::string> entity;
    std::optional<Poco::Int64> projectId;
    std::size_t limit = 50;
    std::size_t offset = 0;
};

/// Reads the audit trail, newest first, for reviewers and admins (ForbiddenError for other roles).
/// Safe for concurrent use.
class AuditReader
{
public:
    explicit AuditReader(storage::Database& database);

    /// {"items", "total", "limit", "offset"}; each item's `changes` is the parsed JSON object.
    [[nodiscard]] Poco::JSON::Object::Ptr list(const domain::Principal& principal, const AuditQuery& query) const;

private:
    storage::Database& _database;
};

} // namespace captrack::service
