#pragma once

// Folder-private: the lock that the hooks of a project's milestones and contributions take first.

#include "captrack/service/Resource.h"
#include "captrack/storage/RollupStore.h"

namespace captrack::service
{

/// Takes the turn of the project that the write of a row of `table` (milestones, contributions) changes:
/// its parent as the write knows it (being created, or read before the turn), else the project the row
/// belongs to (none when the row does not exist: the write then fails as not found). See
/// storage::RollupStore::takeTurn.
inline void takeProjectTurn(Poco::Data::Session& session, const std::string& table, const WriteTarget& target)
{
    const auto project =
        target.parentId ? target.parentId : storage::RollupStore::projectOf(session, table, *target.id);
    if (project)
        storage::RollupStore::takeTurn(session, *project);
}

} // namespace captrack::service
