#include "captrack/service/RecordJson.h"

#include <Poco/JSON/Array.h>

namespace captrack::service
{

using domain::FieldKind;
using Poco::Dynamic::Var;

Var jsonValue(const domain::FieldSpec& field, const Var& value)
{
    if (value.isEmpty())
        return Var();
    if (field.kind == FieldKind::IdList)
    {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (auto id : value.extract<std::vector<Poco::Int64>>())
            array->add(id);
        return array;
    }
    if (field.kind == FieldKind::CodeList)
    {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& code : value.extract<std::vector<std::string>>())
            array->add(code);
        return array;
    }
    if (field.kind == FieldKind::Boolean)
        return Var(value.convert<Poco::Int64>() != 0);
    return value;
}

Poco::JSON::Object::Ptr recordToJson(const domain::ResourceSpec& spec, const domain::Record& record)
{
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& field : spec.fields)
    {
        const auto it = record.find(field.name);
        object->set(field.name, it == record.end() ? Var() : jsonValue(field, it->second));
    }
    return object;
}

namespace
{
Var rawValue(const Var& value)
{
    if (value.type() == typeid(Poco::JSON::Array::Ptr))
    {
        std::vector<Var> items;
        for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
            items.push_back(rawValue(item));
        return items;
    }
    return value;
}
} // namespace

domain::Record recordFromJson(const Poco::JSON::Object& object)
{
    domain::Record record;
    for (const auto& [name, value] : object)
        record[name] = rawValue(value);
    return record;
}

bool sameValue(const domain::FieldSpec& field, const Var& a, const Var& b)
{
    if (a.isEmpty() || b.isEmpty())
        return a.isEmpty() == b.isEmpty();
    if (field.kind == FieldKind::IdList)
        return a.extract<std::vector<Poco::Int64>>() == b.extract<std::vector<Poco::Int64>>();
    if (field.kind == FieldKind::CodeList)
        return a.extract<std::vector<std::string>>() == b.extract<std::vector<std::string>>();
    if (field.kind == FieldKind::Number)
        return a.convert<double>() == b.convert<double>();
    return a.convert<std::string>() == b.convert<std::string>();
}

Poco::JSON::Object::Ptr listJson(const Poco::JSON::Array::Ptr& items)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("items", items);
    body->set("total", static_cast<Poco::UInt64>(items->size()));
    return body;
}

Poco::JSON::Object::Ptr pageJson(const Poco::JSON::Array::Ptr& items, Poco::Int64 total, std::size_t limit,
                                 std::size_t offset)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("items", items);
    body->set("total", total);
    body->set("limit", static_cast<Poco::UInt64>(limit));
    body->set("offset", static_cast<Poco::UInt64>(offset));
    return body;
}

} // namespace captrack::service
