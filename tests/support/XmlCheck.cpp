#include "XmlCheck.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <cstdio>

#include <regex>

namespace captrack::test
{

std::optional<std::string> xmlProblem(const std::string& document)
{
    try
    {
        Poco::XML::DOMParser parser;
        Poco::AutoPtr<Poco::XML::Document> pDocument = parser.parseString(document);
        return std::nullopt;
    }
    catch (const Poco::Exception& e)
    {
        return e.displayText();
    }
}

std::optional<std::string> htmlAsXmlProblem(const std::string& page)
{
    static const std::regex DOCTYPE("<!DOCTYPE html>", std::regex::icase);
    static const std::regex VOID_ELEMENT("<(meta|br|hr|img|input|link)\\b([^>]*?)/?>");
    const std::string withoutDoctype = std::regex_replace(page, DOCTYPE, "");
    return xmlProblem(std::regex_replace(withoutDoctype, VOID_ELEMENT, "<$1$2/>"));
}

std::optional<std::string> undisplayableCharacter(const std::string& text)
{
    Poco::UTF8Encoding encoding;
    Poco::TextIterator it(text, encoding);
    const Poco::TextIterator end(text);
    for (std::size_t index = 0; it != end; ++it)
    {
        const int c = *it;
        const bool xmlChar = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
                             (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
        const bool bidi =
            c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        if (c < 0 || !xmlChar || (c >= 0x7F && c <= 0x9F) || bidi)
        {
            char what[64];
            std::snprintf(what, sizeof what, "U+%04X at code point %zu", static_cast<unsigned>(c), index);
            return std::string(c < 0 ? "invalid UTF-8" : what);
        }
        ++index;
    }
    return std::nullopt;
}

std::vector<std::string> svgElements(const std::string& page)
{
    std::vector<std::string> out;
    std::size_t from = 0;
    while ((from = page.find("<svg", from)) != std::string::npos)
    {
        int depth = 1;
        std::size_t at = from + 4;
        while (depth > 0)
        {
            const std::size_t open = page.find("<svg", at), close = page.find("</svg>", at);
            if (close == std::string::npos)
                return out;
            depth += open < close ? 1 : -1;
            at = open < close ? open + 4 : close + 6;
        }
        out.push_back(page.substr(from, at - from));
        from = at;
    }
    return out;
}

std::vector<std::string> xmlTexts(const std::string& document, const std::string& name)
{
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> pDocument = parser.parseString(document);
    Poco::AutoPtr<Poco::XML::NodeList> pNodes = pDocument->getElementsByTagName(name);
    std::vector<std::string> out;
    for (unsigned long i = 0; i < pNodes->length(); ++i)
        out.push_back(pNodes->item(i)->innerText());
    return out;
}

} // namespace captrack::test
