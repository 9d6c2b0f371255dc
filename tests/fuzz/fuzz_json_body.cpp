// Fuzzes the JSON body decoder (captrack::http::parseJsonObject) and, on every object it accepts, the
// record validators of every resource (service::recordFromJson, domain::normaliseInput and
// checkRecord), for a create and for an update, without a database. Checks that the decoder keeps
// its bounds (nesting, number of values), that validation never throws but reports field errors,
// that a record it passes has exactly the C++ types domain/Record.h promises and keeps the spec's
// ranges, lengths and choices, and that such a record renders to JSON that parses again.
#include "FuzzSupport.h"

#include "captrack/Errors.h"
#include "captrack/http/JsonBody.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UnicodeConverter.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <typeinfo>

namespace
{
using captrack::domain::FieldKind;
using captrack::domain::FieldSpec;
using captrack::domain::Record;
using captrack::domain::ResourceSpec;
using captrack::domain::WriteMode;
using captrack::fuzz::check;
using Poco::Dynamic::Var;

struct TreeSize
{
    std::size_t nodes = 0; ///< containers, keys and scalars
    std::size_t depth = 0; ///< deepest nesting of containers
};

void measure(const Var& value, std::size_t depth, TreeSize& size)
{
    ++size.nodes;
    if (value.type() == typeid(Poco::JSON::Object::Ptr))
    {
        size.depth = std::max(size.depth, depth + 1);
        for (const auto& [key, item] : *value.extract<Poco::JSON::Object::Ptr>())
        {
            ++size.nodes;
            measure(item, depth + 1, size);
        }
    }
    else if (value.type() == typeid(Poco::JSON::Array::Ptr))
    {
        size.depth = std::max(size.depth, depth + 1);
        for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
            measure(item, depth + 1, size);
    }
}

const std::type_info& storedType(FieldKind kind)
{
    switch (kind)
    {
    case FieldKind::Integer:
    case FieldKind::Id:
    case FieldKind::Boolean:
        return typeid(Poco::Int64);
    case FieldKind::Number:
        return typeid(double);
    case FieldKind::CodeList:
        return typeid(std::vector<std::string>);
    case FieldKind::IdList:
        return typeid(std::vector<Poco::Int64>);
    default:
        return typeid(std::string);
    }
}

bool inRange(const FieldSpec& field, double number)
{
    return (field.min == 0 && field.max == 0) || (number >= field.min && number <= field.max);
}

void checkValue(const ResourceSpec& spec, const FieldSpec& field, const Var& value)
{
    const std::string where = spec.entity + "." + field.name;
    if (value.isEmpty())
        return check(field.nullable && !field.required, where + " is null but may not be");
    check(value.type() == storedType(field.kind), where + " holds a " + value.type().name());
    if (field.kind == FieldKind::Text || field.kind == FieldKind::Code)
    {
        const auto& text = value.extract<std::string>();
        check(captrack::fuzz::isStrictUtf8(text), where + " accepted text that is not UTF-8");
        std::wstring wide;
        Poco::UnicodeConverter::convert(text, wide);
        check(wide.size() <= field.maxLength && wide.size() >= field.minLength, where + " accepted a bad length");
    }
    else if (field.kind == FieldKind::Choice)
        check(std::count(field.choices.begin(), field.choices.end(), value.extract<std::string>()) == 1,
              where + " accepted a value outside its choices");
    else if (field.kind == FieldKind::Date)
        check(captrack::domain::Date::parse(value.extract<std::string>()).has_value(), where + " accepted a bad date");
    else if (field.kind == FieldKind::Number)
        check(std::isfinite(value.extract<double>()) && inRange(field, value.extract<double>()),
              where + " accepted a number out of range");
    else if (field.kind == FieldKind::Integer)
        check(inRange(field, static_cast<double>(value.extract<Poco::Int64>())),
              where + " accepted an integer out of range");
    else if (field.kind == FieldKind::Id)
        check(value.extract<Poco::Int64>() > 0, where + " accepted an id that is not positive");
    else if (field.kind == FieldKind::Boolean)
        check(value.extract<Poco::Int64>() == 0 || value.extract<Poco::Int64>() == 1, where + " is not 0 or 1");
}

/// A record that passed validation renders to JSON that parses again.
void checkRenders(const ResourceSpec& spec, const Record& record)
{
    std::ostringstream out;
    captrack::service::recordToJson(spec, record)->stringify(out);
    try
    {
        Poco::JSON::Parser().parse(out.str());
    }
    catch (const Poco::Exception& e)
    {
        captrack::fuzz::fail(spec.entity + " renders as JSON that does not parse: " + e.displayText());
    }
}

void validate(const ResourceSpec& spec, const Record& input, WriteMode mode)
{
    captrack::FieldErrors errors;
    const Record record = captrack::domain::normaliseInput(spec, input, mode, errors);
    if (mode == WriteMode::Create)
        captrack::domain::checkRecord(spec, record, errors);
    for (const auto& error : errors)
        check(!error.message.empty(), spec.entity + ": a field error without text");
    if (!errors.empty())
        return;
    for (const auto& [name, value] : record)
    {
        if (name == "version" && spec.versioned())
            continue;
        const FieldSpec* pField = spec.field(name);
        check(pField != nullptr, spec.entity + " accepted unknown field " + name);
        checkValue(spec, *pField, value);
    }
    checkRenders(spec, record);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string body = captrack::fuzz::inputText(data, size);
    for (const captrack::http::JsonLimits limits : {captrack::http::JsonLimits{}, captrack::http::JsonLimits{16, 3}})
    {
        Poco::JSON::Object::Ptr pObject;
        try
        {
            pObject = captrack::http::parseJsonObject(body, limits);
        }
        catch (const captrack::BadRequestError&)
        {
            continue;
        }
        check(!pObject.isNull(), "parseJsonObject returned null");
        TreeSize tree;
        measure(pObject, 0, tree);
        check(tree.depth <= limits.maxDepth, "an accepted body nests deeper than the limit");
        check(tree.nodes <= 2 * limits.maxValues + 1, "an accepted body holds far more values than the limit");
        if (limits.maxValues != captrack::http::JsonLimits{}.maxValues)
            continue;
        const Record input = captrack::service::recordFromJson(*pObject);
        const auto& c = captrack::service::Catalogue::instance();
        for (const auto* pResource : {&c.partners, &c.missions, &c.capabilityAreas, &c.objectives, &c.projects,
                                      &c.milestones, &c.contributions, &c.missionLinks, &c.users})
        {
            validate(pResource->spec, input, WriteMode::Create);
            validate(pResource->spec, input, WriteMode::Update);
        }
    }
    return 0;
}
