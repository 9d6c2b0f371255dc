#include "RenderFormats.h"
#include "XlsxWorkbook.h"

#include <algorithm>
#include <type_traits>

namespace captrack::report::detail
{

using domain::FieldKind;
using domain::FieldSpec;

namespace
{
/// Fields named `..._eur` are whole euros (the domain's one money unit).
bool isEuros(const FieldSpec& field)
{
    const std::string suffix = "_eur";
    return field.kind == FieldKind::Integer && field.name.size() > suffix.size() &&
           std::equal(suffix.rbegin(), suffix.rend(), field.name.rbegin());
}

template <typename T> std::string joined(const std::vector<T>& values)
{
    std::string out;
    for (const auto& value : values)
    {
        if (!out.empty())
            out += ", ";
        if constexpr (std::is_same_v<T, std::string>)
            out += value;
        else
            out += std::to_string(value);
    }
    return out;
}

double columnWidth(const FieldSpec& field)
{
    if (field.kind == FieldKind::Text)
        return field.maxLength > 200 ? 48 : 24;
    return std::max(10.0, static_cast<double>(field.name.size()) + 2);
}

/// One cell of a record: the field's value in the type its FieldKind names; an empty cell for null.
void writeField(XlsxSheet& sheet, const FieldSpec& field, const domain::Record& record)
{
    const auto at = record.find(field.name);
    if (at == record.end() || at->second.isEmpty())
    {
        sheet.blank();
        return;
    }
    const auto& value = at->second;
    switch (field.kind)
    {
    case FieldKind::Integer:
    case FieldKind::Id:
        isEuros(field) ? sheet.euros(value.convert<Poco::Int64>()) : sheet.whole(value.convert<Poco::Int64>());
        break;
    case FieldKind::Number:
        sheet.decimal(value.convert<double>());
        break;
    case FieldKind::Boolean:
        sheet.boolean(value.convert<Poco::Int64>() != 0);
        break;
    case FieldKind::Date:
        if (const auto date = domain::dateField(record, field.name))
            sheet.date(*date);
        else
            sheet.text(value.convert<std::string>());
        break;
    case FieldKind::IdList:
        sheet.text(joined(domain::idListField(record, field.name)));
        break;
    case FieldKind::CodeList:
        sheet.text(joined(domain::codeListField(record, field.name)));
        break;
    default:
        sheet.text(value.convert<std::string>());
    }
}

void addPageFigures(XlsxWorkbook& workbook, const RecordPage& page)
{
    auto& sheet = addFiguresSheet(workbook);
    sheet.row().text("Listed").whole(static_cast<Poco::Int64>(page.items.size())).text("items (count)");
    sheet.row().text("Total").whole(page.total).text("total");
    sheet.row().text("Limit").whole(static_cast<Poco::Int64>(page.limit)).text("limit");
    sheet.row().text("Offset").whole(static_cast<Poco::Int64>(page.offset)).text("offset");
    // The sums of what is listed and shown: a value hidden from the caller (null) adds nothing.
    for (const auto& field : page.spec.fields)
    {
        if (!isEuros(field) && field.kind != FieldKind::Number)
            continue;
        double sum = 0;
        for (const auto& record : page.items)
            if (const auto at = record.find(field.name); at != record.end() && !at->second.isEmpty())
                sum += at->second.convert<double>();
        sheet.row().text("Sum of " + field.name + " (listed)");
        isEuros(field) ? sheet.euros(static_cast<Poco::Int64>(sum)) : sheet.decimal(sum);
        sheet.text("items[]." + field.name + " (sum)");
    }
    sheet.filterRowsSoFar();
}
} // namespace

std::string recordsXlsx(const RecordPage& page)
{
    XlsxWorkbook workbook;
    addPageFigures(workbook, page);
    std::vector<XlsxColumn> columns;
    for (const auto& field : page.spec.fields)
        columns.push_back({field.name, columnWidth(field)});
    auto& sheet = workbook.addSheet(page.sheetName, columns);
    for (const auto& record : page.items)
    {
        sheet.row();
        for (const auto& field : page.spec.fields)
            writeField(sheet, field, record);
    }
    sheet.filterRowsSoFar();
    return workbook.bytes();
}

} // namespace captrack::report::detail
