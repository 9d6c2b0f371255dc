#include "captrack/domain/ResourceSpec.h"

#include "captrack/domain/Utf8.h"
#include "captrack/domain/Wording.h"

#include <Poco/String.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace captrack::domain
{

const FieldSpec* ResourceSpec::field(const std::string& name) const
{
    for (const auto& f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

bool ResourceSpec::hasWriteOnlyFields() const
{
    return std::any_of(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.writeOnly; });
}

namespace
{
using Poco::Dynamic::Var;

bool isJsonString(const Var& value)
{
    return value.isString();
}

bool hasRange(const FieldSpec& spec)
{
    return spec.min != 0 || spec.max != 0;
}

std::string rangeText(const FieldSpec& spec)
{
    auto number = [](double d) {
        return std::floor(d) == d ? std::to_string(static_cast<long long>(d)) : std::to_string(d);
    };
    return "must be between " + number(spec.min) + " and " + number(spec.max);
}

/// Why a string is not a value of the Text or Code field, or nullopt: the text rule, then for identifier
/// codes their alphabet, then the lengths in code points.
std::optional<std::string> textProblem(const FieldSpec& spec, const std::string& text, const std::string& trimmed)
{
    if (auto problem = plainTextProblem(text, spec.kind == FieldKind::Code ? TextLines::Single : spec.lines))
        return problem;
    if (spec.required && trimmed.empty())
        return "must not be empty";
    const bool identifier = spec.kind == FieldKind::Code && spec.refTable.empty();
    if (identifier && !spec.allowedCharacters.empty())
        if (auto problem = codeProblem(trimmed, spec.allowedCharacters))
            return problem;
    const std::size_t length = utf8::codePointCount(text);
    if (length < spec.minLength)
        return "must be at least " + std::to_string(spec.minLength) + " characters";
    if (length > spec.maxLength)
        return "must be at most " + std::to_string(spec.maxLength) + " characters";
    return std::nullopt;
}

std::optional<Var> normaliseText(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    if (!isJsonString(value))
    {
        errors.push_back({spec.name, "must be text"});
        return std::nullopt;
    }
    const std::string text = value.extract<std::string>();
    const std::string trimmed = Poco::trim(text);
    if (auto problem = textProblem(spec, text, trimmed))
    {
        errors.push_back({spec.name, *problem});
        return std::nullopt;
    }
    return Var(spec.kind == FieldKind::Code ? trimmed : text);
}

std::optional<Var> normaliseChoice(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    if (!isJsonString(value) ||
        std::find(spec.choices.begin(), spec.choices.end(), value.extract<std::string>()) == spec.choices.end())
    {
        errors.push_back({spec.name, "must be one of " + choiceWords(spec.choices)});
        return std::nullopt;
    }
    return std::optional<Var>(std::in_place, value);
}

std::optional<Var> normaliseInteger(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    const auto whole = wholeNumberValue(value);
    if (!whole)
    {
        errors.push_back({spec.name, "must be a whole number"});
        return std::nullopt;
    }
    const Poco::Int64 number = *whole;
    if (hasRange(spec) && (static_cast<double>(number) < spec.min || static_cast<double>(number) > spec.max))
    {
        errors.push_back({spec.name, rangeText(spec)});
        return std::nullopt;
    }
    return Var(number);
}

std::optional<Var> normaliseNumber(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    if (value.isString() || value.isBoolean() || !value.isNumeric())
    {
        errors.push_back({spec.name, "must be a number"});
        return std::nullopt;
    }
    const double number = value.convert<double>();
    if (!std::isfinite(number) || (hasRange(spec) && (number < spec.min || number > spec.max)))
    {
        errors.push_back({spec.name, rangeText(spec)});
        return std::nullopt;
    }
    return Var(number);
}

std::optional<Var> normaliseDate(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    if (!isJsonString(value) || !Date::parse(value.extract<std::string>()))
    {
        errors.push_back({spec.name, "must be a date written YYYY-MM-DD, e.g. 2027-03-01"});
        return std::nullopt;
    }
    return std::optional<Var>(std::in_place, value);
}

std::optional<Var> normaliseList(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    if (value.type() != typeid(std::vector<Var>))
    {
        errors.push_back({spec.name, "must be a list"});
        return std::nullopt;
    }
    const auto& items = value.extract<std::vector<Var>>();
    std::vector<std::string> codes;
    std::vector<Poco::Int64> ids;
    for (const auto& item : items)
    {
        const auto id = wholeNumberValue(item);
        if (spec.kind == FieldKind::IdList && id && *id > 0)
        {
            if (std::find(ids.begin(), ids.end(), *id) == ids.end())
                ids.push_back(*id);
        }
        else if (spec.kind == FieldKind::CodeList && item.isString() && !item.extract<std::string>().empty() &&
                 !plainTextProblem(item.extract<std::string>(), TextLines::Single))
        {
            if (std::find(codes.begin(), codes.end(), item.extract<std::string>()) == codes.end())
                codes.push_back(item.extract<std::string>());
        }
        else
        {
            errors.push_back({spec.name, spec.kind == FieldKind::IdList
                                             ? "must be a list of ids (positive whole numbers)"
                                             : "must be a list of codes"});
            return std::nullopt;
        }
    }
    // Lists are sets: kept sorted so that equal sets compare equal and read back in the stored order.
    std::sort(ids.begin(), ids.end());
    std::sort(codes.begin(), codes.end());
    return spec.kind == FieldKind::IdList ? Var(ids) : Var(codes);
}

std::optional<Var> normaliseValue(const FieldSpec& spec, const Var& value, FieldErrors& errors)
{
    switch (spec.kind)
    {
    case FieldKind::Text:
    case FieldKind::Code:
        return normaliseText(spec, value, errors);
    case FieldKind::Choice:
        return normaliseChoice(spec, value, errors);
    case FieldKind::Integer:
        return normaliseInteger(spec, value, errors);
    case FieldKind::Id: {
        const auto id = wholeNumberValue(value);
        if (!id || *id <= 0)
        {
            errors.push_back({spec.name, "must be an id (a positive whole number)"});
            return std::nullopt;
        }
        return Var(*id);
    }
    case FieldKind::Number:
        return normaliseNumber(spec, value, errors);
    case FieldKind::Date:
        return normaliseDate(spec, value, errors);
    case FieldKind::CodeList:
    case FieldKind::IdList:
        return normaliseList(spec, value, errors);
    case FieldKind::Boolean:
        if (!value.isBoolean())
        {
            errors.push_back({spec.name, "must be true or false"});
            return std::nullopt;
        }
        return Var(Poco::Int64(value.convert<bool>() ? 1 : 0));
    }
    return std::nullopt;
}
} // namespace

std::optional<Poco::Int64> wholeNumberValue(const Var& value)
{
    if (value.isEmpty() || value.isBoolean() || value.isString() || !value.isInteger())
        return std::nullopt;
    if (!value.isSigned() && value.convert<Poco::UInt64>() > static_cast<Poco::UInt64>(INT64_MAX))
        return std::nullopt;
    return value.convert<Poco::Int64>();
}

Record normaliseInput(const ResourceSpec& spec, const Record& input, WriteMode mode, FieldErrors& errors)
{
    Record out;
    for (const auto& [name, value] : input)
    {
        if (name == "version" && spec.versioned())
        {
            out[name] = value;
            continue;
        }
        const FieldSpec* field = spec.field(name);
        if (!field)
        {
            errors.push_back({name, notAFieldOf(spec.entity)});
            continue;
        }
        if (field->access == FieldAccess::Managed ||
            (field->access == FieldAccess::CreateOnly && mode == WriteMode::Update))
        {
            errors.push_back({name, "is set by captrack and cannot be changed: remove it"});
            continue;
        }
        if (value.isEmpty())
        {
            if (field->nullable && !field->required)
                out[name] = Var();
            else
                errors.push_back(
                    {name, field->defaultValue.isEmpty() ? "is required" : "cannot be empty: leave it out instead"});
            continue;
        }
        if (auto normalised = normaliseValue(*field, value, errors))
            out[name] = *normalised;
    }
    if (mode == WriteMode::Create)
    {
        for (const auto& field : spec.fields)
            if (field.access != FieldAccess::Managed && !out.count(field.name) && !field.defaultValue.isEmpty())
                out[field.name] = field.defaultValue;
    }
    return out;
}

void checkRecord(const ResourceSpec& spec, const Record& record, FieldErrors& errors)
{
    for (const auto& field : spec.fields)
    {
        if (field.access == FieldAccess::Managed || !field.required)
            continue;
        const auto it = record.find(field.name);
        if (it == record.end() || it->second.isEmpty())
        {
            const bool alreadyReported =
                std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) { return e.field == field.name; });
            if (!alreadyReported)
                errors.push_back({field.name, "is required"});
        }
    }
    if (spec.rule && errors.empty())
        spec.rule(record, errors);
}

} // namespace captrack::domain
