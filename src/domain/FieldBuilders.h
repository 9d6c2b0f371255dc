#pragma once

#include "captrack/domain/ResourceSpec.h"
#include "captrack/domain/Vocabulary.h"

namespace captrack::domain::fields
{

/// Short constructors for the FieldSpecs of Specs.cpp.

inline FieldSpec managed(const std::string& name, FieldKind kind, bool sortable = false)
{
    FieldSpec f;
    f.name = name;
    f.kind = kind;
    f.access = FieldAccess::Managed;
    f.sortable = sortable;
    return f;
}

/// id, then the resource's own fields, then version, created_at, updated_at.
inline std::vector<FieldSpec> withStandardFields(std::vector<FieldSpec> own)
{
    std::vector<FieldSpec> all{managed("id", FieldKind::Integer, true)};
    all.insert(all.end(), own.begin(), own.end());
    all.push_back(managed("version", FieldKind::Integer));
    all.push_back(managed("created_at", FieldKind::Text, true));
    all.push_back(managed("updated_at", FieldKind::Text, true));
    return all;
}

inline FieldSpec text(const std::string& name, bool required, std::size_t maxLength = 200)
{
    FieldSpec f;
    f.name = name;
    f.kind = FieldKind::Text;
    f.required = required;
    f.nullable = !required;
    f.maxLength = maxLength;
    return f;
}

/// Optional text that may span lines (descriptions, reasons, notes): line feeds and tabs allowed.
inline FieldSpec prose(const std::string& name, std::size_t maxLength)
{
    FieldSpec f = text(name, false, maxLength);
    f.lines = TextLines::Multiple;
    return f;
}

/// A required identifier code over CODE_CHARACTERS, unique in its table where the spec says so.
inline FieldSpec code(const std::string& name, std::size_t maxLength = 40)
{
    FieldSpec f = text(name, true, maxLength);
    f.kind = FieldKind::Code;
    f.minLength = 1;
    f.allowedCharacters = CODE_CHARACTERS;
    f.filterable = true;
    f.sortable = true;
    return f;
}

inline FieldSpec choice(const std::string& name, std::vector<std::string> choices, bool required,
                        const char* defaultValue = nullptr)
{
    FieldSpec f;
    f.name = name;
    f.kind = FieldKind::Choice;
    f.choices = std::move(choices);
    f.required = required || defaultValue;
    f.nullable = !f.required;
    if (defaultValue)
        f.defaultValue = std::string(defaultValue);
    f.filterable = true;
    f.sortable = true;
    return f;
}

/// A field whose values are the names of the closed set E (Vocabulary.h).
template <typename E> FieldSpec choiceOf(const std::string& name, bool required)
{
    return choice(name, namesOf<E>(), required);
}

/// The same with a default, which makes it required.
template <typename E> FieldSpec choiceOf(const std::string& name, E defaultValue)
{
    return choice(name, namesOf<E>(), true, nameOf(defaultValue).data());
}

inline FieldSpec date(const std::string& name, bool required)
{
    FieldSpec f;
    f.name = name;
    f.kind = FieldKind::Date;
    f.required = required;
    f.nullable = !required;
    f.sortable = true;
    return f;
}

inline FieldSpec integer(const std::string& name, double min, double max, Poco::Int64 defaultValue)
{
    FieldSpec f;
    f.name = name;
    f.kind = FieldKind::Integer;
    f.min = min;
    f.max = max;
    f.required = true;
    f.nullable = false;
    f.defaultValue = defaultValue;
    f.sortable = true;
    return f;
}

inline FieldSpec reference(const std::string& name, FieldKind kind, const std::string& table, const std::string& column,
                           bool required)
{
    FieldSpec f;
    f.name = name;
    f.kind = kind;
    f.refTable = table;
    f.refColumn = column;
    f.required = required;
    f.nullable = !required;
    f.filterable = true;
    return f;
}

inline FieldSpec list(const std::string& name, FieldKind kind, const std::string& refTable,
                      const std::string& refColumn, const std::string& linkTable, const std::string& ownerColumn,
                      const std::string& valueColumn)
{
    FieldSpec f = reference(name, kind, refTable, refColumn, false);
    f.linkTable = linkTable;
    f.linkOwnerColumn = ownerColumn;
    f.linkValueColumn = valueColumn;
    f.filterable = false;
    f.nullable = false;
    f.defaultValue = kind == FieldKind::IdList ? Poco::Dynamic::Var(std::vector<Poco::Int64>{})
                                               : Poco::Dynamic::Var(std::vector<std::string>{});
    return f;
}

/// A true/false flag, never null, with its value on create; filterable.
inline FieldSpec boolean(const std::string& name, bool defaultValue)
{
    FieldSpec f;
    f.name = name;
    f.kind = FieldKind::Boolean;
    f.nullable = false;
    f.defaultValue = Poco::Int64(defaultValue ? 1 : 0);
    f.filterable = true;
    return f;
}

inline FieldSpec parent(const std::string& name, const std::string& table)
{
    FieldSpec f = managed(name, FieldKind::Id);
    f.refTable = table;
    f.refColumn = "id";
    return f;
}

} // namespace captrack::domain::fields
