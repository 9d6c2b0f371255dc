#pragma once

#include "captrack/domain/Date.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::domain
{

/// One stored resource (or a partial one, for a PATCH) as field name -> value. After normalisation
/// (see ResourceSpec) every value has the C++ type its FieldKind names: std::string for text, dates,
/// enumerations and codes; Poco::Int64 for integers, ids and booleans (0/1); double for numbers;
/// std::vector<std::string> or std::vector<Poco::Int64> for lists. An empty Var is SQL NULL / JSON null.
using Record = std::map<std::string, Poco::Dynamic::Var>;

/// Typed reads of a normalised record; an absent or null field gives nullopt.
[[nodiscard]] std::optional<std::string> textField(const Record& record, const std::string& name);
[[nodiscard]] std::optional<Poco::Int64> intField(const Record& record, const std::string& name);
[[nodiscard]] std::optional<Date> dateField(const Record& record, const std::string& name);
[[nodiscard]] std::vector<Poco::Int64> idListField(const Record& record, const std::string& name);
[[nodiscard]] std::vector<std::string> codeListField(const Record& record, const std::string& name);

/// The id of a stored record (every stored record has one).
[[nodiscard]] Poco::Int64 recordId(const Record& record);

} // namespace captrack::domain
