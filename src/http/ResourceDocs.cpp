#include "captrack/http/ResourceDocs.h"

#include "captrack/domain/Wording.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace captrack::http
{

using domain::FieldAccess;
using domain::FieldKind;
using domain::FieldSpec;

namespace
{
using Object = Poco::JSON::Object;

Object::Ptr newObject()
{
    return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::string textOf(const Object::Ptr& object)
{
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

Object::Ptr parsed(const std::string& text)
{
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

/// "mission_link" -> "MissionLink".
std::string pascalCase(const std::string& snake)
{
    std::string out;
    bool upper = true;
    for (const char c : snake)
    {
        if (c == '_')
        {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out;
}

/// `^[A-Za-z0-9._-]+$` for an alphabet of ASCII characters: runs of three or more become ranges.
std::string alphabetPattern(const std::string& alphabet)
{
    auto escaped = [](char c) {
        return std::string(std::string("\\]^-[/").find(c) != std::string::npos ? "\\" : "") + c;
    };
    std::string out = "^[";
    for (std::size_t i = 0; i < alphabet.size();)
    {
        std::size_t run = 1;
        while (i + run < alphabet.size() && alphabet[i + run] == alphabet[i] + static_cast<char>(run))
            ++run;
        if (run >= 3)
        {
            out += escaped(alphabet[i]) + "-" + escaped(alphabet[i + run - 1]);
            i += run;
        }
        else
        {
            out += escaped(alphabet[i]);
            ++i;
        }
    }
    return out + "]+$";
}

/// `"type": "x"`, or `["x", "null"]` when null is allowed.
void setType(Object::Ptr schema, const std::string& type, bool nullable)
{
    if (!nullable)
    {
        schema->set("type", type);
        return;
    }
    Poco::JSON::Array::Ptr types = new Poco::JSON::Array;
    types->add(type);
    types->add(std::string("null"));
    schema->set("type", types);
}

void setRange(Object::Ptr schema, const FieldSpec& field)
{
    if (field.min == 0 && field.max == 0)
        return;
    if (field.kind == FieldKind::Integer)
    {
        schema->set("minimum", static_cast<Poco::Int64>(field.min));
        schema->set("maximum", static_cast<Poco::Int64>(field.max));
        return;
    }
    schema->set("minimum", field.min);
    schema->set("maximum", field.max);
}

const std::string PAGE_DESCRIPTION = "A page of the collection, in the order of `sort`";
} // namespace

ResourceDocs::ResourceDocs(const domain::ResourceSpec& spec, std::set<std::string> redacted,
                           std::vector<ExtraProperty> extras)
    : _spec(spec), _redacted(std::move(redacted)), _extras(std::move(extras)), _name(pascalCase(spec.entity))
{
}

std::string ResourceDocs::words() const
{
    return domain::plainWords(_spec.entity);
}

std::string ResourceDocs::propertySchema(const FieldSpec& field, bool nullable) const
{
    auto schema = newObject();
    switch (field.kind)
    {
    case FieldKind::Text:
    case FieldKind::Code:
        setType(schema, "string", nullable);
        if (field.name == "created_at" || field.name == "updated_at")
        {
            schema->set("format", "date-time");
            break;
        }
        if (field.minLength > 0)
            schema->set("minLength", static_cast<Poco::UInt64>(field.minLength));
        schema->set("maxLength", static_cast<Poco::UInt64>(field.maxLength));
        if (!field.allowedCharacters.empty())
            schema->set("pattern", alphabetPattern(field.allowedCharacters));
        break;
    case FieldKind::Integer:
    case FieldKind::Number:
        setType(schema, field.kind == FieldKind::Integer ? "integer" : "number", nullable);
        setRange(schema, field);
        break;
    case FieldKind::Date:
        setType(schema, "string", nullable);
        schema->set("format", "date");
        break;
    case FieldKind::Choice: {
        setType(schema, "string", nullable);
        Poco::JSON::Array::Ptr choices = new Poco::JSON::Array;
        for (const auto& choice : field.choices)
            choices->add(choice);
        if (nullable)
            choices->add(Poco::Dynamic::Var());
        schema->set("enum", choices);
        break;
    }
    case FieldKind::Id:
        setType(schema, "integer", nullable);
        schema->set("minimum", 1);
        break;
    case FieldKind::CodeList:
    case FieldKind::IdList: {
        setType(schema, "array", nullable);
        auto items = newObject();
        items->set("type", field.kind == FieldKind::IdList ? "integer" : "string");
        schema->set("items", items);
        break;
    }
    case FieldKind::Boolean:
        setType(schema, "boolean", nullable);
        break;
    }
    if (!field.refTable.empty())
        schema->set("description", "names a row of " + field.refTable + " by its " + field.refColumn);
    if (!field.defaultValue.isEmpty() && field.kind != FieldKind::CodeList && field.kind != FieldKind::IdList)
        schema->set("default", field.defaultValue);
    return textOf(schema);
}

std::string ResourceDocs::recordSchema() const
{
    auto schema = newObject();
    schema->set("type", "object");
    schema->set("description", "A " + words() + " as the server keeps it");
    auto properties = newObject();
    Poco::JSON::Array::Ptr required = new Poco::JSON::Array;
    for (const auto& field : _spec.fields)
    {
        const bool managed = field.access == FieldAccess::Managed;
        const bool nullable = (field.nullable && !managed) || _redacted.count(field.name) > 0;
        auto property = parsed(propertySchema(field, nullable));
        property->remove("default");
        // A list is stored once per value (a request may repeat one), and served sorted.
        if (field.kind == FieldKind::CodeList || field.kind == FieldKind::IdList)
            property->set("uniqueItems", true);
        if (_redacted.count(field.name))
            property->set("description", "null when hidden from the reader (another partner's contribution)");
        if (field.writeOnly)
        {
            // Set by the client, never answered (a credential): always null in a record.
            property = newObject();
            property->set("type", "null");
            property->set("description", "write-only: always null in an answer");
        }
        properties->set(field.name, property);
        required->add(field.name);
    }
    schema->set("properties", properties);
    schema->set("required", required);
    schema->set("additionalProperties", false);
    return textOf(schema);
}

std::string ResourceDocs::createSchema() const
{
    auto schema = newObject();
    schema->set("type", "object");
    schema->set("description", "A new " + words() + ": the fields to set; the server fills in the others");
    auto properties = newObject();
    Poco::JSON::Array::Ptr required = new Poco::JSON::Array;
    for (const auto& field : _spec.fields)
    {
        if (field.access == FieldAccess::Managed)
            continue;
        properties->set(field.name, parsed(propertySchema(field, field.nullable)));
        if (field.required && field.defaultValue.isEmpty())
            required->add(field.name);
    }
    for (const auto& extra : _extras)
    {
        properties->set(extra.name, parsed(extra.schema));
        if (extra.requiredOnCreate)
            required->add(extra.name);
    }
    schema->set("properties", properties);
    schema->set("required", required);
    schema->set("additionalProperties", false);
    return textOf(schema);
}

std::string ResourceDocs::updateSchema() const
{
    auto schema = newObject();
    schema->set("type", "object");
    schema->set("description", "The fields of the " + words() + " to change, and nothing else");
    auto properties = newObject();
    for (const auto& field : _spec.fields)
    {
        if (field.access != FieldAccess::Writable)
            continue;
        auto property = parsed(propertySchema(field, field.nullable));
        property->remove("default");
        properties->set(field.name, property);
    }
    for (const auto& extra : _extras)
        properties->set(extra.name, parsed(extra.schema));
    if (_spec.versioned())
        properties->set(
            "version",
            parsed(R"J({"type":"integer","minimum":1,"description":"the version last read (instead of If-Match)"})J"));
    schema->set("properties", properties);
    schema->set("additionalProperties", false);
    return textOf(schema);
}

std::string ResourceDocs::pageSchema() const
{
    return R"({"type":"object","description":")" + PAGE_DESCRIPTION +
           R"(","properties":{"items":{"type":"array","items":)" + schemaRef(_name) +
           R"(},"total":{"type":"integer","minimum":0,"description":"how many match, on every page"},)"
           R"("limit":{"type":"integer","minimum":1,"maximum":500},"offset":{"type":"integer","minimum":0}},)"
           R"("required":["items","total","limit","offset"],"additionalProperties":false})";
}

std::vector<std::pair<std::string, std::string>> ResourceDocs::schemas() const
{
    return {{_name, recordSchema()},
            {_name + "Page", pageSchema()},
            {_name + "Create", createSchema()},
            {_name + "Update", updateSchema()}};
}

std::vector<ParamDoc> ResourceDocs::listParameters(const std::vector<service::ListFilter>& filters) const
{
    std::vector<ParamDoc> params{
        {"limit", "query", "at most this many items (default 50)",
         R"({"type":"integer","minimum":1,"maximum":500,"default":50})", false},
        {"offset", "query", "skip this many items first", R"({"type":"integer","minimum":0,"maximum":1000000000})",
         false},
    };
    std::string sortable;
    for (const auto& field : _spec.fields)
        if (field.sortable)
            sortable += (sortable.empty() ? "" : ", ") + field.name;
    params.push_back(
        {"sort", "query",
         "comma-separated fields, `-` first for descending (default " + _spec.defaultSort + "); sortable: " + sortable,
         R"({"type":"string"})", false});
    if (_spec.field("title") || _spec.field("name"))
        params.push_back({"q", "query",
                          std::string("case-insensitive text in the ") + (_spec.field("title") ? "title" : "name") +
                              (_spec.field("code") ? " or the code" : ""),
                          R"({"type":"string","maxLength":200})", false});
    for (const auto& field : _spec.fields)
        if (field.filterable)
            params.push_back({field.name, "query",
                              "only those whose " + field.name + " is one of these (comma-separated)",
                              R"({"type":"string"})", false});
    for (const auto& filter : filters)
        params.push_back({filter.name, "query", filter.description + " (comma-separated: any of them)",
                          R"({"type":"string"})", false});
    return params;
}

ParamDoc ResourceDocs::itemParameter() const
{
    return {"id", "path", _spec.field("code") ? "the " + words() + "'s id, or its code" : "the " + words() + "'s id",
            _spec.field("code") ? R"({"type":"string","minLength":1})"
                                : R"({"type":"string","pattern":"^[0-9]{1,18}$"})",
            true};
}

RouteDoc ResourceDocs::listDoc(const std::vector<service::ListFilter>& filters, const std::string& plural) const
{
    RouteDoc doc;
    doc.summary = "List " + plural;
    doc.description = "Only those the caller may see. An unknown query parameter is refused (400).";
    doc.parameters = listParameters(filters);
    doc.responses = {{200, PAGE_DESCRIPTION, {{"application/json", schemaRef(_name + "Page")}}, {}}};
    doc.schemas = schemas();
    return doc;
}

RouteDoc ResourceDocs::createDoc(const std::string& plural) const
{
    RouteDoc doc;
    doc.summary = "Add to " + plural;
    doc.requestSchema = schemaRef(_name + "Create");
    doc.responses = {{201,
                      "Created: the " + words() + " as stored",
                      {{"application/json", schemaRef(_name)}},
                      {"Location", "ETag"}}};
    doc.schemas = schemas();
    return doc;
}

RouteDoc ResourceDocs::getDoc(const ParamDoc& item) const
{
    RouteDoc doc;
    doc.summary = "Read a " + words();
    doc.parameters = {item};
    doc.responses = {{200, "The " + words(), {{"application/json", schemaRef(_name)}}, {"ETag"}}};
    doc.schemas = schemas();
    return doc;
}

RouteDoc ResourceDocs::updateDoc(const ParamDoc& item) const
{
    RouteDoc doc;
    doc.summary = "Change a " + words();
    doc.description = "Send only the fields to change, with If-Match (or `version`).";
    doc.parameters = {item, ifMatchParameter()};
    doc.requestSchema = schemaRef(_name + "Update");
    doc.responses = {{200, "The " + words() + " as stored", {{"application/json", schemaRef(_name)}}, {"ETag"}}};
    doc.schemas = schemas();
    return doc;
}

RouteDoc ResourceDocs::deleteDoc(const ParamDoc& item) const
{
    RouteDoc doc;
    doc.summary = "Delete a " + words();
    doc.parameters = {item, ifMatchParameter()};
    doc.requestSchema =
        R"({"type":"object","properties":{"version":{"type":"integer","minimum":1}},"additionalProperties":false})";
    doc.requestDescription = "Optional: `{\"version\": N}` instead of If-Match";
    doc.requestRequired = false;
    doc.responses = {{204, "Deleted", {}, {}}};
    return doc;
}

} // namespace captrack::http
