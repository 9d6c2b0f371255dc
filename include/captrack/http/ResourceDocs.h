#pragma once

#include "captrack/domain/ResourceSpec.h"
#include "captrack/http/RouteDoc.h"
#include "captrack/service/ListFilters.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace captrack::http
{

/// A property a resource's request bodies take beyond its spec's fields (a user's `password`).
struct ExtraProperty
{
    std::string name;
    std::string schema; ///< JSON Schema text
    bool requiredOnCreate = false;
};

/// What the OpenAPI document says of one resource, all of it derived from its spec: the schemas of the
/// record as served, of a create's and an update's body and of a page, and the docs of its routes.
/// Pure; thread-safe.
class ResourceDocs
{
public:
    /// `redacted`: fields a reader may be shown as null although the spec does not let them be null
    /// (a partner's view of another partner's contribution). `extras`: ExtraProperty.
    explicit ResourceDocs(const domain::ResourceSpec& spec, std::set<std::string> redacted = {},
                          std::vector<ExtraProperty> extras = {});

    /// The schema names: "MissionLink", "MissionLinkCreate", "MissionLinkUpdate", "MissionLinkPage".
    [[nodiscard]] const std::string& name() const { return _name; }
    /// The four named schemas, for RouteDoc::schemas.
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> schemas() const;

    /// The record as served: every field, always present.
    [[nodiscard]] std::string recordSchema() const;
    /// A create's body: the writable and create-only fields, the required ones without a default required.
    [[nodiscard]] std::string createSchema() const;
    /// An update's body: the writable fields, and `version` (the body form of If-Match).
    [[nodiscard]] std::string updateSchema() const;
    /// {"items", "total", "limit", "offset"}.
    [[nodiscard]] std::string pageSchema() const;

    /// limit, offset, sort, q, the filterable fields and `filters`, as the list parser takes them.
    [[nodiscard]] std::vector<ParamDoc> listParameters(const std::vector<service::ListFilter>& filters) const;

    /// The docs of the five routes of addResourceRoutes; `plural` names the collection in summaries,
    /// `item` describes the `{id}` path parameter.
    [[nodiscard]] RouteDoc listDoc(const std::vector<service::ListFilter>& filters, const std::string& plural) const;
    [[nodiscard]] RouteDoc createDoc(const std::string& plural) const;
    [[nodiscard]] RouteDoc getDoc(const ParamDoc& item) const;
    [[nodiscard]] RouteDoc updateDoc(const ParamDoc& item) const;
    [[nodiscard]] RouteDoc deleteDoc(const ParamDoc& item) const;

    /// `{id}` as a decimal id, or also as the resource's code when it has one.
    [[nodiscard]] ParamDoc itemParameter() const;

private:
    [[nodiscard]] std::string propertySchema(const domain::FieldSpec& field, bool nullable) const;
    [[nodiscard]] std::string words() const; ///< "mission link"

    const domain::ResourceSpec& _spec;
    std::set<std::string> _redacted;
    std::vector<ExtraProperty> _extras;
    std::string _name;
};

} // namespace captrack::http
