#include "RenderText.h"

#include "captrack/domain/TextRules.h"
#include "captrack/domain/Wording.h"

#include <cctype>
#include <cmath>

namespace captrack::report::detail
{

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
/// The value at `key`, empty when absent.
Var valueAt(const Object& object, const std::string& key)
{
    return object.has(key) ? object.get(key) : Var();
}
} // namespace

std::string textAt(const Object& object, const std::string& key)
{
    return textOr(object, key, "");
}

std::string textOr(const Object& object, const std::string& key, const std::string& absent)
{
    const Var value = valueAt(object, key);
    return value.isEmpty() ? absent : value.convert<std::string>();
}

Poco::Int64 integerAt(const Object& object, const std::string& key)
{
    const Var value = valueAt(object, key);
    if (value.isEmpty())
        return 0;
    if (value.isInteger())
        return value.convert<Poco::Int64>();
    // Amounts are whole euros; a fractional value (from a client-built report) is rounded, not cut.
    return static_cast<Poco::Int64>(std::llround(value.convert<double>()));
}

std::string numberAt(const Object& object, const std::string& key)
{
    const Var value = valueAt(object, key);
    return value.isEmpty() ? std::string("0") : value.convert<std::string>();
}

Object::Ptr objectAt(const Object& object, const std::string& key)
{
    const Var value = valueAt(object, key);
    if (value.type() == typeid(Object::Ptr))
    {
        const auto pObject = value.extract<Object::Ptr>();
        if (pObject)
            return pObject;
    }
    return new Object;
}

Array::Ptr arrayAt(const Object& object, const std::string& key)
{
    const Var value = valueAt(object, key);
    if (value.type() == typeid(Array::Ptr))
    {
        const auto pArray = value.extract<Array::Ptr>();
        if (pArray)
            return pArray;
    }
    return new Array;
}

Object::Ptr objectIn(const Array& array, std::size_t index)
{
    const Object::Ptr pObject = array.getObject(static_cast<unsigned>(index));
    return pObject ? pObject : Object::Ptr(new Object);
}

std::string joined(const Array& array)
{
    std::string out;
    for (std::size_t i = 0; i < array.size(); ++i)
    {
        const Var item = array.get(static_cast<unsigned>(i));
        out += (i == 0 ? "" : ", ") + (item.isEmpty() ? std::string() : item.convert<std::string>());
    }
    return out;
}

std::string filtersText(const Object& filters)
{
    std::string out;
    for (const auto& name : filters.getNames())
    {
        const Var value = filters.get(name);
        std::string values;
        if (value.type() == typeid(Array::Ptr))
            values = joined(*value.extract<Array::Ptr>());
        else if (!value.isEmpty())
            values = value.convert<std::string>();
        out += (out.empty() ? "" : "; ") + humanName(name) + ": " + values;
    }
    return out.empty() ? "none" : out;
}

std::string filtersText(const ReportFilters& filters)
{
    std::string out;
    for (const auto& [name, values] : filters)
    {
        std::string text;
        for (std::size_t i = 0; i < values.size(); ++i)
            text += (i == 0 ? "" : ", ") + values[i];
        out += (out.empty() ? "" : "; ") + humanName(name) + ": " + text;
    }
    return out.empty() ? "none" : out;
}

std::string decimalText(double value)
{
    return Var(value).convert<std::string>();
}

std::string humanName(std::string name)
{
    return domain::plainWords(std::move(name));
}

std::string capitalised(std::string text)
{
    if (!text.empty())
        text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

std::string escapeHtml(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : domain::displayableText(text))
    {
        switch (c)
        {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string escapeMarkdown(const std::string& text)
{
    // & stays: an entity reference decodes to text, never to markup.
    static const std::string SPECIAL = "\\`*_[]<>|~";
    std::string out;
    out.reserve(text.size() + 8);
    for (const char c : domain::displayableText(oneLine(text)))
    {
        if (SPECIAL.find(c) != std::string::npos || (out.empty() && c == '#'))
            out += '\\';
        out += c;
    }
    return out;
}

std::string oneLine(const std::string& text)
{
    std::string out = text;
    for (auto& c : out)
        if (c == '\r' || c == '\n' || c == '\t')
            c = ' ';
    return out;
}

} // namespace captrack::report::detail
