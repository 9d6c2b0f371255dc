#include "captrack/report/Renderers.h"

#include "captrack/Errors.h"

namespace captrack::report
{

// Replaced by the renderers of the issue "Status summaries and portfolio reports" (in progress).
Rendered renderSummary(const Poco::JSON::Object&, const std::string& format)
{
    throw BadRequestError("format '" + format + "' is not available yet; use format=json");
}

Rendered renderPortfolio(const Poco::JSON::Object&, const std::string& format)
{
    throw BadRequestError("format '" + format + "' is not available yet; use format=json");
}

} // namespace captrack::report
