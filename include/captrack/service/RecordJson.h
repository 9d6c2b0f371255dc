#pragma once

#include "captrack/domain/Record.h"
#include "captrack/domain/ResourceSpec.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <vector>

namespace captrack::service
{

/// The JSON form of one field value: lists become arrays, everything else keeps its scalar type.
[[nodiscard]] Poco::Dynamic::Var jsonValue(const domain::FieldSpec& field, const Poco::Dynamic::Var& value);

/// A stored record as a JSON object, its keys in the spec's field order.
[[nodiscard]] Poco::JSON::Object::Ptr recordToJson(const domain::ResourceSpec& spec, const domain::Record& record);

/// The text of recordToJson(spec, record), written straight into `out` (no JSON objects in between):
/// the same keys in the same order, the same values with the same escaping.
void appendRecordJson(std::string& out, const domain::ResourceSpec& spec, const domain::Record& record);

/// The text of pageJson() for these records, written straight (see appendRecordJson).
[[nodiscard]] std::string pageJsonText(const domain::ResourceSpec& spec, const std::vector<domain::Record>& records,
                                       Poco::Int64 total, std::size_t limit, std::size_t offset);

/// What Poco::JSON::Stringifier::stringify(value, out) writes (no indent), written straight into `out`:
/// objects (Ptr or not, in the order Poco writes their keys), arrays, strings, integers, booleans and
/// null directly, any other value through the Stringifier.
void appendJson(std::string& out, const Poco::Dynamic::Var& value);

/// The text of pageJsonText() written straight from the rows of storage::RecordStore::visitPage, without
/// Records: byte for byte the same for the same rows. Used by one thread.
class PageJsonWriter
{
public:
    explicit PageJsonWriter(const domain::ResourceSpec& spec);
    /// Writes one row (its columns as storage::RecordStore::columnFields orders them).
    void addRow(const storage::RowReader& row);
    /// The page, with each row's list fields taken from `lists`.
    [[nodiscard]] std::string finish(const storage::PageLists& lists, Poco::Int64 total, std::size_t limit,
                                     std::size_t offset) const;

private:
    /// A row's object in _text, with its list fields' values left out: the i-th goes at _slots[firstSlot + i].
    struct Row
    {
        Poco::Int64 id = 0;
        std::size_t begin = 0, end = 0, firstSlot = 0;
    };

    const domain::ResourceSpec& _spec;
    std::vector<int> _columnOf; ///< per field of the spec: its column, or -1 for a list field
    int _idColumn = -1;
    std::vector<Row> _rows;
    std::string _text;               ///< every row's object, one after the other
    std::vector<std::size_t> _slots; ///< where each row's list values go in _text
};

/// A parsed JSON object as a raw (not yet normalised) record: arrays become std::vector<Var>.
[[nodiscard]] domain::Record recordFromJson(const Poco::JSON::Object& object);

/// True when two normalised values of a field are the same.
[[nodiscard]] bool sameValue(const domain::FieldSpec& field, const Poco::Dynamic::Var& a, const Poco::Dynamic::Var& b);

/// The envelope of a whole list (docs/HTTP.md "API conventions"): {"items": items, "total": its size}.
[[nodiscard]] Poco::JSON::Object::Ptr listJson(const Poco::JSON::Array::Ptr& items);

/// The envelope of one page of a longer list: {"items", "total" (of the whole list), "limit", "offset"}.
[[nodiscard]] Poco::JSON::Object::Ptr pageJson(const Poco::JSON::Array::Ptr& items, Poco::Int64 total,
                                               std::size_t limit, std::size_t offset);

} // namespace captrack::service
