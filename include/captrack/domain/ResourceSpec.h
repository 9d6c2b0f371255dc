#pragma once

#include "captrack/Errors.h"
#include "captrack/domain/Record.h"
#include "captrack/domain/TextRules.h"
#include "captrack/domain/Vocabulary.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace captrack::domain
{

/// The type of one field, which fixes its JSON type, its C++ type in a Record and its SQL column type.
enum class FieldKind
{
    Text,     ///< string; maxLength applies; plainTextProblem with `lines` must find nothing
    Integer,  ///< whole number in [min, max], written as a JSON integer (no fraction, no exponent)
    Number,   ///< real number in [min, max]
    Date,     ///< `YYYY-MM-DD`
    Choice,   ///< one string of `choices`
    Code,     ///< an identifier code (its alphabet in allowedCharacters) or, with refTable, a string that
              ///< names a row of another table by its code (refTable.refColumn)
    Id,       ///< integer id of a row of another table (refTable.refColumn)
    CodeList, ///< list of codes, stored in a link table
    IdList,   ///< list of ids, stored in a link table
    Boolean,  ///< true/false, stored as 0/1 (Poco::Int64 in a Record)
};

/// Who sets a field.
enum class FieldAccess
{
    Writable,   ///< the client may set it on create and change it on update
    CreateOnly, ///< the client sets it on create only
    Managed,    ///< the server sets it (id, version, timestamps, parent id)
};

/// Describes one field of a resource: its name (the JSON key and the SQL column), type and rules.
struct FieldSpec
{
    std::string name;
    FieldKind kind = FieldKind::Text;
    FieldAccess access = FieldAccess::Writable;
    bool required = false;           ///< must be present and non-null on create
    bool nullable = true;            ///< may be null
    Poco::Dynamic::Var defaultValue; ///< used on create when absent
    std::vector<std::string> choices;
    double min = 0;
    double max = 0;                      ///< for Integer/Number; ignored when min == max == 0
    std::size_t maxLength = 200;         ///< for Text
    std::size_t minLength = 0;           ///< for Text and Code
    TextLines lines = TextLines::Single; ///< for Text: whether line feeds and tabs are allowed
    std::string allowedCharacters;       ///< for Code: when not empty, the alphabet of codeProblem
    std::string refTable;                ///< Code/Id/CodeList/IdList: the table the value names
    std::string refColumn;               ///< ... and the column there
    std::string linkTable;               ///< CodeList/IdList: table of (owner, value) rows
    std::string linkOwnerColumn;
    std::string linkValueColumn;
    bool filterable = false; ///< list endpoints accept `?name=value`
    bool sortable = false;   ///< list endpoints accept `sort=name` / `sort=-name`
    /// A credential the client sets and nobody reads back (a webhook's secret): answers carry null
    /// (service::AccessPolicy::redact), audit events say only that it changed (service::AuditLog).
    bool writeOnly = false;
};

/// Cross-field rules of one resource, run on the complete record after each field passed its own
/// checks. Adds one FieldError per broken rule.
using RecordRule = std::function<void(const Record& record, FieldErrors& errors)>;

/// Describes one resource kind: its table, its fields and its own rules. Specs are immutable values
/// built once at start; they are safe to share between threads.
struct ResourceSpec
{
    Entity kind = Entity::Project; ///< what the resource is: code compares this, never `entity`
    std::string entity;            ///< always nameOf(kind): the singular name for audit events and messages
    std::string table;             ///< SQL table
    std::vector<FieldSpec> fields;
    std::string parentField; ///< e.g. "project_id" for resources nested under a project
    std::string uniqueField; ///< a field whose value is unique (409 on duplicates): across the table, or
                             ///< within the parent when parentField is set
    std::string defaultSort = "id";
    RecordRule rule;

    [[nodiscard]] const FieldSpec* field(const std::string& name) const;
    [[nodiscard]] bool versioned() const { return field("version") != nullptr; }
    /// True when a field is writeOnly.
    [[nodiscard]] bool hasWriteOnlyFields() const;
};

/// The value as a whole number when it is one in JSON's own terms: an integer (not a boolean, not a
/// string, not a number written with a fraction or an exponent such as 1.0 or 1e2) that fits Int64.
/// The one test of every integer a client sends.
[[nodiscard]] std::optional<Poco::Int64> wholeNumberValue(const Poco::Dynamic::Var& value);

/// What a normalisation is for: a create (required fields, defaults) or an update (partial).
enum class WriteMode
{
    Create,
    Update,
};

/// Checks each field of a client-supplied record against the spec (unknown and server-managed
/// fields, strict JSON types, enumerations, ranges, dates, the text rule, code alphabets, text
/// lengths) and converts the values to the types Record documents. Every problem goes into `errors`;
/// fields with problems are left out of the result. JSON lists arrive as std::vector<Poco::Dynamic::Var>.
/// The key `version` is passed through untouched (it is the body form of If-Match).
[[nodiscard]] Record normaliseInput(const ResourceSpec& spec, const Record& input, WriteMode mode, FieldErrors& errors);

/// Checks the complete record's required fields and runs the spec's own rule.
void checkRecord(const ResourceSpec& spec, const Record& record, FieldErrors& errors);

} // namespace captrack::domain
