#include "captrack/domain/Record.h"

namespace captrack::domain
{

namespace
{
const Poco::Dynamic::Var* present(const Record& record, const std::string& name)
{
    const auto it = record.find(name);
    if (it == record.end() || it->second.isEmpty())
        return nullptr;
    return &it->second;
}
} // namespace

std::optional<std::string> textField(const Record& record, const std::string& name)
{
    const auto* value = present(record, name);
    return value ? std::optional<std::string>(value->convert<std::string>()) : std::nullopt;
}

std::optional<Poco::Int64> intField(const Record& record, const std::string& name)
{
    const auto* value = present(record, name);
    return value ? std::optional<Poco::Int64>(value->convert<Poco::Int64>()) : std::nullopt;
}

std::optional<Date> dateField(const Record& record, const std::string& name)
{
    const auto text = textField(record, name);
    return text ? Date::parse(*text) : std::nullopt;
}

std::vector<Poco::Int64> idListField(const Record& record, const std::string& name)
{
    const auto* value = present(record, name);
    return value ? value->extract<std::vector<Poco::Int64>>() : std::vector<Poco::Int64>{};
}

std::vector<std::string> codeListField(const Record& record, const std::string& name)
{
    const auto* value = present(record, name);
    return value ? value->extract<std::vector<std::string>>() : std::vector<std::string>{};
}

Poco::Int64 recordId(const Record& record)
{
    return record.at("id").convert<Poco::Int64>();
}

} // namespace captrack::domain
