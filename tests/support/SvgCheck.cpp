#include "SvgCheck.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/String.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace captrack::test
{

namespace
{
using Poco::XML::Element;
using Poco::XML::Node;

/// The leading number of an attribute ("12", "12px", "100%"); `whole` for a percentage of it.
double lengthOf(const std::string& text, double whole, double fallback)
{
    if (text.empty())
        return fallback;
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    return text.find('%', used) != std::string::npos ? whole * value / 100 : value;
}

/// An attribute of the element or of its nearest ancestor that sets it; "" when none does.
std::string inherited(const Element* element, const std::string& name)
{
    for (const Node* node = element; node && node->nodeType() == Node::ELEMENT_NODE; node = node->parentNode())
    {
        const auto* e = static_cast<const Element*>(node);
        if (e->hasAttribute(name))
            return e->getAttribute(name);
    }
    return "";
}

/// #rrggbb from #rgb or #rrggbb (lower case); the text unchanged otherwise.
std::string fullColour(std::string colour)
{
    colour = Poco::toLower(Poco::trim(colour));
    if (colour.size() == 4 && colour[0] == '#')
        return std::string("#") + colour[1] + colour[1] + colour[2] + colour[2] + colour[3] + colour[3];
    return colour == "white" ? "#ffffff" : colour == "black" ? "#000000" : colour;
}

double relativeLuminance(const std::string& colour)
{
    const std::string full = fullColour(colour);
    if (full.size() != 7 || full[0] != '#')
        throw std::invalid_argument("not a colour: " + colour);
    double channels[3];
    for (int i = 0; i < 3; ++i)
    {
        const double c = std::stoi(full.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
        channels[i] = c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

std::size_t characters(const std::string& text)
{
    std::size_t count = 0;
    for (const unsigned char c : text)
        count += (c & 0xC0) != 0x80 ? 1 : 0;
    return count;
}

struct Box
{
    double x, y, width, height;
    std::string fill;
    [[nodiscard]] bool contains(double px, double py) const
    {
        return px >= x && px <= x + width && py >= y && py <= y + height;
    }
};

/// Walks the document in order: rects with a fill become backgrounds of the labels drawn after them.
void walk(const Node* node, double width, double height, std::vector<Box>& boxes, std::vector<SvgLabel>& labels)
{
    for (const Node* child = node->firstChild(); child; child = child->nextSibling())
    {
        if (child->nodeType() != Node::ELEMENT_NODE)
            continue;
        const auto* e = static_cast<const Element*>(child);
        const std::string fill = fullColour(inherited(e, "fill"));
        if (e->localName() == "rect" && !fill.empty() && fill != "none")
            boxes.push_back({lengthOf(e->getAttribute("x"), width, 0), lengthOf(e->getAttribute("y"), height, 0),
                             lengthOf(e->getAttribute("width"), width, 0),
                             lengthOf(e->getAttribute("height"), height, 0), fill});
        else if (e->localName() == "text")
        {
            SvgLabel label;
            label.text = e->innerText();
            label.x = lengthOf(e->getAttribute("x"), width, 0);
            label.y = lengthOf(e->getAttribute("y"), height, 0);
            label.fontSize = lengthOf(inherited(e, "font-size"), 16, 16);
            if (const auto anchor = inherited(e, "text-anchor"); !anchor.empty())
                label.anchor = anchor;
            if (!fill.empty())
                label.fill = fill;
            const double middleY = (label.top() + label.bottom()) / 2, middleX = (label.left() + label.right()) / 2;
            for (auto box = boxes.rbegin(); box != boxes.rend(); ++box)
                if (box->contains(middleX, middleY))
                {
                    label.background = box->fill;
                    break;
                }
            labels.push_back(label);
            continue;
        }
        walk(child, width, height, boxes, labels);
    }
}

std::string describe(const SvgLabel& label)
{
    std::ostringstream out;
    out << "'" << label.text << "' at (" << label.x << ", " << label.y << ")";
    return out.str();
}
} // namespace

double SvgLabel::width() const
{
    return 0.6 * fontSize * static_cast<double>(characters(text));
}

double SvgLabel::left() const
{
    return anchor == "middle" ? x - width() / 2 : anchor == "end" ? x - width() : x;
}

double contrastRatio(const std::string& colour, const std::string& other)
{
    const double a = relativeLuminance(colour), b = relativeLuminance(other);
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

std::vector<SvgLabel> svgLabels(const std::string& svg)
{
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(svg);
    const Element* root = document->documentElement();
    double width = 0, height = 0;
    std::istringstream viewBox(root->getAttribute("viewBox"));
    double minX = 0, minY = 0;
    viewBox >> minX >> minY >> width >> height;
    std::vector<Box> boxes;
    std::vector<SvgLabel> labels;
    walk(root, width, height, boxes, labels);
    return labels;
}

std::vector<std::string> legibilityProblems(const std::string& svg, double minFontSize, double minContrast)
{
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(svg);
    std::istringstream viewBox(document->documentElement()->getAttribute("viewBox"));
    double minX = 0, minY = 0, width = 0, height = 0;
    viewBox >> minX >> minY >> width >> height;
    const auto labels = svgLabels(svg);
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < labels.size(); ++i)
    {
        const SvgLabel& label = labels[i];
        if (label.fontSize < minFontSize)
            problems.push_back(describe(label) + ": font size " + std::to_string(label.fontSize));
        const double contrast = contrastRatio(label.fill, label.background);
        if (contrast < minContrast)
            problems.push_back(describe(label) + ": " + label.fill + " on " + label.background + " has contrast " +
                               std::to_string(contrast));
        if (label.left() < minX || label.right() > minX + width || label.top() < minY || label.bottom() > minY + height)
            problems.push_back(describe(label) + ": reaches past the drawing");
        for (std::size_t k = i + 1; k < labels.size(); ++k)
        {
            const SvgLabel& other = labels[k];
            if (label.left() < other.right() && other.left() < label.right() && label.top() < other.bottom() &&
                other.top() < label.bottom())
                problems.push_back(describe(label) + " overlaps " + describe(other));
        }
    }
    return problems;
}

} // namespace captrack::test
