#pragma once

// Folder-private: the shell shared by the HTML reports. Every page is self-contained (inline
// stylesheet only, no scripts, no external resources) to satisfy the server's CSP
// `default-src 'none'; style-src 'unsafe-inline'; img-src data:`.

#include "captrack/domain/Vocabulary.h"

#include <optional>
#include <string>

namespace captrack::report::detail
{

/// A complete HTML5 page: `title` (plain text, escaped here) and `bodyHtml` (already escaped markup)
/// with the shared stylesheet, readable on phones and at 1280px, and fit to print.
[[nodiscard]] std::string htmlPage(const std::string& title, const std::string& bodyHtml);

/// The fill colour of a health: green #2e7d32, amber #f9a825, red #c62828, none #9e9e9e.
[[nodiscard]] const char* healthColour(const std::optional<domain::Health>& health);

/// A small coloured badge naming the health ("none" without one).
[[nodiscard]] std::string healthBadge(const std::optional<domain::Health>& health);

} // namespace captrack::report::detail
