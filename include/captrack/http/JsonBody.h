#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>

namespace captrack::http
{

/// Bounds on a JSON body, checked before the parser allocates anything.
struct JsonLimits
{
    std::size_t maxValues = 10000; ///< values, keys and containers together
    std::size_t maxDepth = 32;     ///< nesting of objects and arrays
};

/// Parses a request body that must be one JSON object. BadRequestError (400) for an empty body,
/// malformed JSON, another top-level value, more values or deeper nesting than the limits, a whole
/// number of more than 18 digits (Poco's parser would wrap it) or a NUL character in a string
/// (SQLite would cut the text there). One linear scan decides the bounds first, so a body of many
/// tiny values costs no more memory than its size. Safe for any input.
[[nodiscard]] Poco::JSON::Object::Ptr parseJsonObject(const std::string& body, const JsonLimits& limits = {});

} // namespace captrack::http
