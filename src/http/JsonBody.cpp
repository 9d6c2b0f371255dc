#include "captrack/http/JsonBody.h"

#include "captrack/Errors.h"

#include <Poco/JSON/Parser.h>

namespace captrack::http
{

namespace
{
constexpr std::size_t MAX_INTEGER_DIGITS = 18;

/// Walks the body once, outside the parser: counts values, tracks nesting, and refuses literals that
/// the parser would silently change.
class JsonPrescan
{
public:
    explicit JsonPrescan(const JsonLimits& limits) : _limits(limits) {}

    void scan(const std::string& body)
    {
        for (std::size_t i = 0; i < body.size(); ++i)
        {
            const char c = body[i];
            if (_inString)
                i = inString(body, i);
            else
                outsideString(c);
        }
        endNumber();
    }

private:
    std::size_t inString(const std::string& body, std::size_t i)
    {
        if (body[i] == '\\' && i + 1 < body.size())
        {
            if (body.compare(i + 1, 5, "u0000") == 0)
                throw BadRequestError("strings must not contain NUL characters (\\u0000)");
            return i + 1;
        }
        if (body[i] == '"')
            _inString = false;
        return i;
    }

    void outsideString(char c)
    {
        if (c >= '0' && c <= '9')
        {
            ++_digits;
            return;
        }
        if (c == '.' || c == 'e' || c == 'E')
        {
            _integer = false;
            return;
        }
        if (c == '-' || c == '+')
            return;
        endNumber();
        if (c == '"')
            _inString = true;
        else if (c == '{' || c == '[')
        {
            if (++_depth > _limits.maxDepth)
                throw BadRequestError("the body nests deeper than " + std::to_string(_limits.maxDepth) + " levels");
            countValue();
        }
        else if (c == '}' || c == ']')
            _depth = _depth > 0 ? _depth - 1 : 0;
        else if (c == ',' || c == ':')
            countValue();
    }

    void countValue()
    {
        if (++_values > _limits.maxValues)
            throw BadRequestError("the body holds more than " + std::to_string(_limits.maxValues) + " values");
    }

    void endNumber()
    {
        if (_digits > MAX_INTEGER_DIGITS && _integer)
            throw BadRequestError("a whole number in the body has more than 18 digits");
        _digits = 0;
        _integer = true;
    }

    const JsonLimits& _limits;
    bool _inString = false;
    bool _integer = true;
    std::size_t _digits = 0;
    std::size_t _depth = 0;
    std::size_t _values = 0;
};
} // namespace

Poco::JSON::Object::Ptr parseJsonObject(const std::string& body, const JsonLimits& limits)
{
    if (body.empty())
        throw BadRequestError("the request needs a JSON object as its body");
    JsonPrescan(limits).scan(body);
    Poco::Dynamic::Var parsed;
    try
    {
        Poco::JSON::Parser parser;
        parsed = parser.parse(body);
    }
    catch (const Poco::Exception& e)
    {
        throw BadRequestError("the body is not valid JSON: " + e.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw BadRequestError("the body must be a JSON object");
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

} // namespace captrack::http
