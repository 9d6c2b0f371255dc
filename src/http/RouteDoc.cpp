#include "captrack/http/RouteDoc.h"

namespace captrack::http
{

std::string schemaRef(const std::string& name)
{
    return R"({"$ref":"#/components/schemas/)" + name + R"("})";
}

ParamDoc ifMatchParameter()
{
    return {"If-Match", "header",
            "The version last read, as its ETag (`\"3\"`); or send `version` in the body. Missing: 428; stale: 412.",
            R"({"type":"string","pattern":"^(W/)?\"[0-9]{1,18}\"$"})", false};
}

ParamDoc idParameter(const std::string& name, const std::string& description)
{
    return {name, "path", description, R"({"type":"string","pattern":"^[0-9]{1,18}$"})", true};
}

} // namespace captrack::http
