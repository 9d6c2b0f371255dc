#include "captrack/http/RequestParameters.h"

#include "captrack/Errors.h"
#include "captrack/domain/DecimalId.h"
#include "captrack/domain/Wording.h"

#include <algorithm>

namespace captrack::http
{

void allowOnly(const ApiRequest& request, const std::vector<std::string>& names)
{
    for (const auto& [name, value] : request.query())
        if (std::find(names.begin(), names.end(), name) == names.end())
        {
            std::string known;
            for (const auto& allowed : names)
                known += (known.empty() ? "" : ", ") + allowed;
            throw BadRequestError(domain::unknownQueryParameter(name) +
                                  (known.empty() ? ": this route takes none" : ": this route takes " + known));
        }
}

std::optional<std::size_t> wholeNumberIn(const std::string& text, std::size_t min, std::size_t max)
{
    const auto value = text.size() <= 12 ? domain::decimalNumber(text) : std::nullopt;
    if (!value || static_cast<Poco::UInt64>(*value) < min || static_cast<Poco::UInt64>(*value) > max)
        return std::nullopt;
    return static_cast<std::size_t>(*value);
}

std::size_t queryNumber(const ApiRequest& request, const std::string& name, std::size_t min, std::size_t max,
                        std::size_t fallback)
{
    const auto text = request.queryValue(name);
    if (!text)
        return fallback;
    if (const auto value = wholeNumberIn(*text, min, max))
        return *value;
    throw BadRequestError("query parameter " + name + " must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max));
}

Poco::Int64 idOrCode(const service::ResourceService& resources, const service::Resource& resource,
                     const ApiRequest& request, const std::string& param, IdCheck check)
{
    const std::string& key = request.param(param);
    if (domain::isAllDigits(key) || !resource.spec.field("code"))
    {
        const Poco::Int64 id = request.idParam(param);
        if (check == IdCheck::Now && !resources.findVisibleId(request.principal(), resource, id))
            throw NotFoundError("no " + resource.spec.entity + " with id " + key);
        return id;
    }
    const auto id = resources.findIdByCode(request.principal(), resource, key);
    if (!id)
        throw NotFoundError("no " + resource.spec.entity + " with code " + key);
    return *id;
}

} // namespace captrack::http
