#pragma once

// Legibility of the server-drawn SVG charts, measured from the markup: every label's size, its colour's
// contrast with what is behind it (WCAG 2.x relative luminance), whether it stays inside the drawing and
// whether it overlaps another label. Label widths are estimated as 0.6 × font size × characters, the
// height as the font size (0.8 above the baseline, 0.2 below).

#include <string>
#include <vector>

namespace captrack::test
{

/// One <text> element as drawn, its inherited presentation attributes resolved.
struct SvgLabel
{
    std::string text;
    double x = 0, y = 0;
    double fontSize = 16;               ///< SVG's initial value when nothing sets it
    std::string anchor = "start";       ///< text-anchor
    std::string fill = "#000000";       ///< #rrggbb
    std::string background = "#ffffff"; ///< the fill of the last rect drawn under its middle, else white

    [[nodiscard]] double width() const;
    [[nodiscard]] double left() const;
    [[nodiscard]] double right() const { return left() + width(); }
    [[nodiscard]] double top() const { return y - 0.8 * fontSize; }
    [[nodiscard]] double bottom() const { return y + 0.2 * fontSize; }
};

/// The labels of a standalone SVG document (well-formed XML), in document order.
[[nodiscard]] std::vector<SvgLabel> svgLabels(const std::string& svg);

/// The WCAG 2.x contrast ratio (1 to 21) of two colours written #rgb or #rrggbb.
[[nodiscard]] double contrastRatio(const std::string& colour, const std::string& other);

/// What makes the chart hard to read, one sentence per finding; empty when nothing does: a label under
/// `minFontSize`, a fill with less than `minContrast` against its background, a label reaching past the
/// viewBox, two labels overlapping.
[[nodiscard]] std::vector<std::string> legibilityProblems(const std::string& svg, double minFontSize = 12,
                                                          double minContrast = 4.5);

} // namespace captrack::test
