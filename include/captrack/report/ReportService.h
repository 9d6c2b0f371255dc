#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/storage/Database.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// The filters and options of a portfolio report, as parsed from the request.
struct PortfolioRequest
{
    std::map<std::string, std::vector<std::string>> filters; ///< kind, status, framework, partner, ...
    std::string groupBy = "status";
    std::optional<domain::Date> asOf; ///< default: today
    std::size_t listLimit = 1000;
    bool includeProjects = false; ///< each project's milestones too (the HTML timelines)
};

/// Status summaries and portfolio reports over what the principal may see (partners: only their
/// own amounts). Every report is a fixed handful of set-based queries. Safe for concurrent use.
class ReportService
{
public:
    ReportService(storage::Database& database, const domain::Clock& clock, domain::HealthThresholds thresholds);

    /// NotFoundError for a project that does not exist or that the principal may not see.
    [[nodiscard]] Poco::JSON::Object::Ptr summary(const domain::Principal& principal, Poco::Int64 projectId,
                                                  std::optional<domain::Date> asOf) const;
    /// BadRequestError for an unknown filter value or grouping.
    [[nodiscard]] Poco::JSON::Object::Ptr portfolio(const domain::Principal& principal,
                                                    const PortfolioRequest& request) const;

    /// The filter names a portfolio report accepts.
    [[nodiscard]] static const std::vector<std::string>& filterNames();

private:
    [[nodiscard]] std::map<std::string, std::string> labelsFor(const std::string& groupBy) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    domain::HealthThresholds _thresholds;
    PortfolioLoader _loader;
};

} // namespace captrack::report
