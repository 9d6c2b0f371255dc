#pragma once

#include "captrack/domain/Record.h"
#include "captrack/domain/ResourceSpec.h"

#include <Poco/JSON/Object.h>

namespace captrack::service
{

/// The JSON form of one field value: lists become arrays, everything else keeps its scalar type.
[[nodiscard]] Poco::Dynamic::Var jsonValue(const domain::FieldSpec& field, const Poco::Dynamic::Var& value);

/// A stored record as a JSON object, its keys in the spec's field order.
[[nodiscard]] Poco::JSON::Object::Ptr recordToJson(const domain::ResourceSpec& spec, const domain::Record& record);

/// A parsed JSON object as a raw (not yet normalised) record: arrays become std::vector<Var>.
[[nodiscard]] domain::Record recordFromJson(const Poco::JSON::Object& object);

/// True when two normalised values of a field are the same.
[[nodiscard]] bool sameValue(const domain::FieldSpec& field, const Poco::Dynamic::Var& a, const Poco::Dynamic::Var& b);

} // namespace captrack::service
