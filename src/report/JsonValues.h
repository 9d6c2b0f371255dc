#pragma once

// Folder-private: how the JSON renderers write the values that may be absent. Stateless.

#include "captrack/domain/Date.h"
#include "captrack/domain/Vocabulary.h"

#include <Poco/Dynamic/Var.h>

#include <optional>

namespace captrack::report::detail
{

/// A date as "YYYY-MM-DD", or JSON null.
[[nodiscard]] inline Poco::Dynamic::Var jsonDate(const std::optional<domain::Date>& date)
{
    return date ? Poco::Dynamic::Var(date->toString()) : Poco::Dynamic::Var();
}

/// A health's name, or JSON null for none.
[[nodiscard]] inline Poco::Dynamic::Var jsonHealth(const std::optional<domain::Health>& health)
{
    return health ? Poco::Dynamic::Var(domain::nameText(*health)) : Poco::Dynamic::Var();
}

} // namespace captrack::report::detail
