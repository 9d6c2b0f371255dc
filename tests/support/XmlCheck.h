#pragma once

// Strict checks of rendered documents for the tests: is a document well-formed XML 1.0 (Poco::XML,
// that is Expat: it refuses malformed UTF-8 and every character XML does not allow), and are the
// HTML pages of the reports XML-compatible too.

#include <optional>
#include <string>
#include <vector>

namespace captrack::test
{

/// The parser's complaint when `document` is not well-formed XML, nullopt when it is.
[[nodiscard]] std::optional<std::string> xmlProblem(const std::string& document);

/// The complaint when an HTML page of the reports, read as XHTML (DOCTYPE dropped, the void elements
/// meta, br, hr, img, input and link closed), is not well-formed XML; nullopt when it is.
[[nodiscard]] std::optional<std::string> htmlAsXmlProblem(const std::string& page);

/// Where `text` holds what no report may emit: bytes that are not UTF-8, a character outside XML 1.0's
/// Char production, DEL, a C1 control or a bidirectional formatting character ("U+0007 at code point
/// 12");
/// nullopt when there is none. Read with Poco's UTF-8 decoder, not the server's.
[[nodiscard]] std::optional<std::string> undisplayableCharacter(const std::string& text);

/// Every top-level `<svg>…</svg>` element of a page, in order.
[[nodiscard]] std::vector<std::string> svgElements(const std::string& page);

/// The text content of every element named `name` in a well-formed document, in document order.
[[nodiscard]] std::vector<std::string> xmlTexts(const std::string& document, const std::string& name);

} // namespace captrack::test
