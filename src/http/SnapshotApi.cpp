#include "captrack/http/SnapshotApi.h"

#include "SnapshotDocs.h"

#include "captrack/Errors.h"
#include "captrack/domain/Date.h"
#include "captrack/http/ReportApi.h"
#include "captrack/http/RequestParameters.h"
#include "captrack/http/ResourceRoutes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace captrack::http
{

namespace
{
const std::string SNAPSHOTS = std::string(API_ROOT) + "/reports/snapshots";

Poco::JSON::Object::Ptr snapshotJson(const storage::SnapshotRow& row, const std::vector<std::string>& formats)
{
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("id", row.id);
    json->set("name", row.name);
    json->set("as_of", row.asOf);
    json->set("group_by", row.groupBy);
    json->set("filters", Poco::JSON::Parser().parse(row.filters));
    json->set("list_limit", row.listLimit);
    json->set("published_by", row.publishedBy ? Poco::Dynamic::Var(*row.publishedBy) : Poco::Dynamic::Var());
    json->set("published_at", row.publishedAt);
    json->set("content_hash", row.contentHash);
    json->set("schedule_period", row.schedulePeriod ? Poco::Dynamic::Var(*row.schedulePeriod) : Poco::Dynamic::Var());
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& format : formats)
        list->add(format);
    json->set("formats", list);
    return json;
}

/// A filter's values from the body: a list of strings, or one string of comma-separated values.
std::vector<std::string> filterValues(const std::string& name, const Poco::Dynamic::Var& value, FieldErrors& errors)
{
    std::vector<std::string> values;
    auto add = [&values](const std::string& text) {
        std::string::size_type start = 0;
        while (start <= text.size())
        {
            const auto comma = std::min(text.find(',', start), text.size());
            const std::string part = Poco::trim(text.substr(start, comma - start));
            if (!part.empty())
                values.push_back(part);
            start = comma + 1;
        }
    };
    if (value.isString())
        add(value.extract<std::string>());
    else if (value.type() == typeid(Poco::JSON::Array::Ptr))
    {
        const auto list = value.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < list->size(); ++i)
        {
            const auto item = list->get(static_cast<unsigned>(i));
            if (!item.isString())
            {
                errors.push_back({"filters." + name, "must be a list of strings"});
                return {};
            }
            add(item.extract<std::string>());
        }
    }
    if (values.empty())
        errors.push_back({"filters." + name, "needs a value: a string or a list of strings"});
    return values;
}

/// The body of a publication: name, and the live report's group_by, as_of, list_limit and filters.
std::pair<std::string, report::PortfolioRequest> publication(const report::ReportService& reports,
                                                             const Poco::JSON::Object& body)
{
    FieldErrors errors;
    report::PortfolioRequest request;
    std::string name;
    for (const auto& [key, value] : body)
    {
        if (key == "name" && value.isString())
            name = value.extract<std::string>();
        else if (key == "name")
            errors.push_back({key, "must be text"});
        else if (key == "group_by" && value.isString())
        {
            try
            {
                request.groupBy = report::ReportService::grouping(value.extract<std::string>());
            }
            catch (const BadRequestError& e)
            {
                errors.push_back({key, e.message()});
            }
        }
        else if (key == "as_of" && value.isString() && domain::Date::parse(value.extract<std::string>()))
            request.asOf = domain::Date::parse(value.extract<std::string>());
        else if (key == "list_limit" && value.isInteger() && !value.isBoolean() && value.convert<Poco::Int64>() >= 0 &&
                 value.convert<Poco::Int64>() <= static_cast<Poco::Int64>(report::PortfolioRequest::MAX_LIST_LIMIT))
            request.listLimit = static_cast<std::size_t>(value.convert<Poco::Int64>());
        else if (key == "filters" && value.type() == typeid(Poco::JSON::Object::Ptr))
        {
            const auto& names = report::ReportService::filterNames();
            for (const auto& [filter, values] : *value.extract<Poco::JSON::Object::Ptr>())
            {
                if (std::find(names.begin(), names.end(), filter) == names.end())
                    errors.push_back({"filters." + filter, "is not a filter of the portfolio report"});
                else
                    request.filters[filter] = filterValues(filter, values, errors);
            }
        }
        else if (key == "group_by" || key == "as_of" || key == "list_limit" || key == "filters")
            errors.push_back({key, key == "as_of"      ? "must be a date YYYY-MM-DD"
                                   : key == "filters"  ? "must be an object: filter name -> values"
                                   : key == "group_by" ? "must be a grouping's name"
                                                       : "must be a whole number from 0 to 1000"});
        else
            errors.push_back({key, "is not a field of a snapshot: send name, group_by, as_of, list_limit, filters"});
    }
    if (!body.has("name"))
        errors.push_back({"name", "is required"});
    throwIfAny(errors);
    try
    {
        reports.check(request);
    }
    catch (const BadRequestError& e)
    {
        throw ValidationError("filters", e.message());
    }
    return {name, request};
}

void addPublishing(Router& router, const report::SnapshotService& snapshots, const report::ReportService& reports)
{
    router.add(
        "GET", SNAPSHOTS,
        [&snapshots](ApiRequest& request) {
            allowOnly(request, {"limit", "offset"});
            const auto limit = queryNumber(request, "limit", 1, 500, 50);
            const auto offset = queryNumber(request, "offset", 0, 1000000000, 0);
            const auto [rows, total] = snapshots.list(request.principal(), limit, offset);
            Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
            for (const auto& row : rows)
                items->add(snapshotJson(row, snapshots.formatsOf(row.id)));
            Poco::JSON::Object::Ptr page = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            page->set("items", items);
            page->set("total", total);
            page->set("limit", static_cast<Poco::UInt64>(limit));
            page->set("offset", static_cast<Poco::UInt64>(offset));
            return ApiResponse::json(200, page);
        },
        {}, docs::listSnapshots());
    router.add(
        "POST", SNAPSHOTS,
        [&snapshots, &reports](ApiRequest& request) {
            allowOnly(request, {});
            report::checkMayPublishSnapshots(request.principal());
            const auto [name, portfolio] = publication(reports, *request.jsonBody());
            const auto row = snapshots.publish(request.principal(), name, portfolio);
            ApiResponse response = ApiResponse::json(201, snapshotJson(row, snapshots.formatsOf(row.id)));
            response.headers.emplace_back("Location", SNAPSHOTS + "/" + std::to_string(row.id));
            return response;
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::publishSnapshot());
}
} // namespace

void addSnapshotApi(Router& router, const report::SnapshotService& snapshots, const report::ReportService& reports)
{
    addPublishing(router, snapshots, reports);
    router.add(
        "GET", SNAPSHOTS + "/{snapshot}",
        [&snapshots](ApiRequest& request) {
            allowOnly(request, {});
            const auto row = snapshots.find(request.principal(), request.param("snapshot"));
            return ApiResponse::json(200, snapshotJson(row, snapshots.formatsOf(row.id)));
        },
        {}, docs::getSnapshot());
    router.add(
        "GET", SNAPSHOTS + "/{snapshot}/portfolio",
        [&snapshots](ApiRequest& request) {
            allowOnly(request, {"format"});
            const std::string format = request.queryValue("format").value_or("json");
            const auto reportFormat = report::portfolioFormat(format); // 400 before anything is read
            const auto snapshot = snapshots.find(request.principal(), request.param("snapshot"));
            auto stored = snapshots.rendering(snapshot, format);
            ApiResponse response = renderedReportResponse({std::move(stored.bytes), std::move(stored.contentType)},
                                                          reportFormat, "portfolio-" + snapshot.asOf);
            response.headers.emplace_back("ETag", "\"" + stored.sha256 + "\"");
            return response;
        },
        {}, docs::snapshotPortfolio());
    router.add(
        "DELETE", SNAPSHOTS + "/{snapshot}",
        [&snapshots](ApiRequest& request) {
            expectNoFields(request);
            snapshots.remove(request.principal(), request.param("snapshot"));
            return ApiResponse::noContent();
        },
        RouteOptions{Access::SignedIn, SMALL_BODY_BYTES}, docs::deleteSnapshot());
}

} // namespace captrack::http
