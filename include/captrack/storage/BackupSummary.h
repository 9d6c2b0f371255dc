#pragma once

#include <Poco/Types.h>

#include <string>
#include <vector>

namespace captrack::storage
{

/// What a backup wrote or a restore loaded: the backup's origin and the rows of each table.
struct BackupSummary
{
    struct Table
    {
        std::string name;
        Poco::UInt64 rows = 0;
    };

    std::string dialect; ///< of the database the backup was taken from: "sqlite" or "mysql"
    std::string takenAt; ///< when its snapshot was taken, RFC 3339 UTC
    std::vector<Table> tables;

    /// The rows of all tables.
    [[nodiscard]] Poco::UInt64 rows() const
    {
        Poco::UInt64 total = 0;
        for (const auto& table : tables)
            total += table.rows;
        return total;
    }
};

} // namespace captrack::storage
