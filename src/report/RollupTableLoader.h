#pragma once

// Folder-private: a portfolio report's table read from the report roll-ups (ReportService).

#include "PortfolioTable.h"
#include "captrack/domain/Principal.h"
#include "captrack/report/PortfolioLoader.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <vector>

namespace captrack::report
{

/// The PortfolioTable of a portfolio report read from the report roll-ups (storage::RollupRows) on the
/// caller's session (a storage::ReadSnapshot): the same figures as RollupLoader's, but a few dozen bytes
/// per project and per contributing partner, in no particular order, without project codes and milestone
/// titles (RollupLoader::addListedNames gives the listed ones theirs), and only the links `groupBy` needs.
/// Projects whose effective health is not in `healthFilter` (when it is not empty) are left out. Throws
/// the driver's exceptions. Stateless; safe for concurrent use.
class RollupTableLoader
{
public:
    [[nodiscard]] static PortfolioTable load(Poco::Data::Session& session, const domain::Principal& principal,
                                             const PortfolioQuery& query, Grouping groupBy,
                                             const std::vector<std::optional<domain::Health>>& healthFilter);
};

} // namespace captrack::report
