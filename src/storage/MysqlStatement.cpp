#include "NativeStatement.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/NumberFormatter.h>
#include <mysql/mysql.h>

#include <charconv>
#include <vector>

namespace captrack::storage
{

namespace
{
/// A text column buffer's first size; a longer value grows it (fetched again by mysql_stmt_fetch_column).
constexpr unsigned long FIRST_TEXT_BYTES = 256;

/// A parameter's value, kept alive until the statement executes.
struct Parameter
{
    enum_field_types type = MYSQL_TYPE_NULL;
    long long integer = 0;
    double real = 0;
    std::string text;
};

/// One result column in the client library's binary form: whole numbers as 64-bit integers, real
/// numbers as doubles, everything else (text, dates, decimals with a fraction) as text.
struct Column
{
    enum class Kind
    {
        Integer,
        Real,
        Text,
    } kind = Kind::Text;
    long long integer = 0;
    double real = 0;
    std::vector<char> bytes;
    unsigned long length = 0;
    my_bool null = 0;
    my_bool error = 0;
    mutable std::string formatted; ///< a number's text, when asked for as text
};

Column::Kind kindOf(const MYSQL_FIELD& field)
{
    switch (field.type)
    {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return Column::Kind::Integer;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
        // SUM and the like of whole numbers are decimals without a fraction: exact as integers.
        return field.decimals == 0 ? Column::Kind::Integer : Column::Kind::Text;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return Column::Kind::Real;
    default:
        return Column::Kind::Text;
    }
}

class MysqlStatement final : public NativeStatement
{
public:
    MysqlStatement(MYSQL* connection, std::string_view sql) : _stmt(mysql_stmt_init(connection))
    {
        if (!_stmt)
            throw Poco::Data::MySQL::StatementException("mysql_stmt_init: out of memory");
        if (mysql_stmt_prepare(_stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
        {
            const Poco::Data::MySQL::StatementException error("mysql_stmt_prepare error", _stmt, std::string(sql));
            mysql_stmt_close(_stmt);
            throw error;
        }
        _parameters.reserve(mysql_stmt_param_count(_stmt));
        describeColumns();
    }
    ~MysqlStatement() override { mysql_stmt_close(_stmt); }
    MysqlStatement(const MysqlStatement&) = delete;
    MysqlStatement& operator=(const MysqlStatement&) = delete;

    void bindNull() override { _parameters.emplace_back(); }
    void bindInteger(Poco::Int64 value) override
    {
        auto& parameter = _parameters.emplace_back();
        parameter.type = MYSQL_TYPE_LONGLONG;
        parameter.integer = value;
    }
    void bindReal(double value) override
    {
        auto& parameter = _parameters.emplace_back();
        parameter.type = MYSQL_TYPE_DOUBLE;
        parameter.real = value;
    }
    void bindText(std::string_view value) override
    {
        auto& parameter = _parameters.emplace_back();
        parameter.type = MYSQL_TYPE_STRING;
        parameter.text.assign(value);
    }

    void execute(bool streamed) override
    {
        bindParameters();
        if (mysql_stmt_execute(_stmt) != 0)
            fail("mysql_stmt_execute error");
        if (_columns.empty())
            return;
        // Stored: the whole result comes over at once, so that other statements may run on the connection
        // while its rows are read. Streamed: the rows arrive as next() reads them.
        _executed = true; // from here a result is pending: reset() frees it even when what follows fails
        if (!streamed && mysql_stmt_store_result(_stmt) != 0)
            fail("mysql_stmt_store_result error");
        bindColumns();
    }

    bool next() override
    {
        if (!_executed)
            return false;
        const int rc = mysql_stmt_fetch(_stmt);
        if (rc == MYSQL_NO_DATA)
            return false;
        if (rc == 1)
            fail("mysql_stmt_fetch error");
        if (rc == MYSQL_DATA_TRUNCATED)
            fetchLongColumns();
        return true;
    }

    Poco::UInt64 changes() const override { return mysql_stmt_affected_rows(_stmt); }

    bool isNull(int column) const override { return at(column).null != 0; }
    Poco::Int64 integer(int column) const override
    {
        const auto& value = at(column);
        if (value.kind == Column::Kind::Integer)
            return value.integer;
        if (value.kind == Column::Kind::Real)
            return static_cast<Poco::Int64>(value.real);
        long long number = 0;
        std::from_chars(value.bytes.data(), value.bytes.data() + value.length, number);
        return number;
    }
    double real(int column) const override
    {
        const auto& value = at(column);
        if (value.kind == Column::Kind::Real)
            return value.real;
        if (value.kind == Column::Kind::Integer)
            return static_cast<double>(value.integer);
        double number = 0;
        std::from_chars(value.bytes.data(), value.bytes.data() + value.length, number);
        return number;
    }
    std::string text(int column) const override { return std::string(textView(column)); }
    std::string_view textView(int column) const override
    {
        const auto& value = at(column);
        if (value.null)
            return {};
        if (value.kind == Column::Kind::Text)
            return {value.bytes.data(), value.length};
        value.formatted = value.kind == Column::Kind::Integer ? std::to_string(value.integer)
                                                              : Poco::NumberFormatter::format(value.real);
        return value.formatted;
    }

    bool reusableAfterFailure() const noexcept override { return false; }

    void reset() noexcept override
    {
        // Frees a stored result, and reads and drops what is left of a streamed one.
        if (_executed)
            mysql_stmt_free_result(_stmt);
        _executed = false;
        _parameters.clear();
    }

private:
    [[noreturn]] void fail(const char* what) const { throw Poco::Data::MySQL::StatementException(what, _stmt); }

    const Column& at(int column) const { return _columns[static_cast<std::size_t>(column)]; }

    void describeColumns()
    {
        MYSQL_RES* pMeta = mysql_stmt_result_metadata(_stmt);
        if (!pMeta)
            return; // a statement without rows
        const unsigned count = mysql_num_fields(pMeta);
        const MYSQL_FIELD* fields = mysql_fetch_fields(pMeta);
        _columns.resize(count);
        for (unsigned i = 0; i < count; ++i)
        {
            _columns[i].kind = kindOf(fields[i]);
            if (_columns[i].kind == Column::Kind::Text)
                _columns[i].bytes.resize(FIRST_TEXT_BYTES);
        }
        mysql_free_result(pMeta);
        _results.resize(count);
    }

    void bindParameters()
    {
        if (_parameters.size() != mysql_stmt_param_count(_stmt))
            throw Poco::Data::MySQL::StatementException(
                "the statement's parameters and its bound values differ in number");
        if (_parameters.empty())
            return;
        _binds.assign(_parameters.size(), MYSQL_BIND{});
        for (std::size_t i = 0; i < _parameters.size(); ++i)
        {
            auto& parameter = _parameters[i];
            auto& bind = _binds[i];
            bind.buffer_type = parameter.type;
            if (parameter.type == MYSQL_TYPE_LONGLONG)
                bind.buffer = &parameter.integer;
            else if (parameter.type == MYSQL_TYPE_DOUBLE)
                bind.buffer = &parameter.real;
            else if (parameter.type == MYSQL_TYPE_STRING)
            {
                bind.buffer = parameter.text.data();
                bind.buffer_length = static_cast<unsigned long>(parameter.text.size());
            }
        }
        if (mysql_stmt_bind_param(_stmt, _binds.data()) != 0)
            fail("mysql_stmt_bind_param error");
    }

    void bindColumn(std::size_t i)
    {
        auto& column = _columns[i];
        auto& bind = _results[i];
        bind = MYSQL_BIND{};
        bind.length = &column.length;
        bind.is_null = &column.null;
        bind.error = &column.error;
        switch (column.kind)
        {
        case Column::Kind::Integer:
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &column.integer;
            break;
        case Column::Kind::Real:
            bind.buffer_type = MYSQL_TYPE_DOUBLE;
            bind.buffer = &column.real;
            break;
        case Column::Kind::Text:
            bind.buffer_type = MYSQL_TYPE_STRING;
            bind.buffer = column.bytes.data();
            bind.buffer_length = static_cast<unsigned long>(column.bytes.size());
            break;
        }
    }

    void bindColumns()
    {
        for (std::size_t i = 0; i < _columns.size(); ++i)
            bindColumn(i);
        if (mysql_stmt_bind_result(_stmt, _results.data()) != 0)
            fail("mysql_stmt_bind_result error");
    }

    /// The text columns longer than their buffer: grown, fetched again whole, and bound for the next rows.
    void fetchLongColumns()
    {
        for (std::size_t i = 0; i < _columns.size(); ++i)
        {
            auto& column = _columns[i];
            if (column.kind != Column::Kind::Text || column.null || column.length <= column.bytes.size())
                continue;
            column.bytes.resize(column.length);
            bindColumn(i);
            if (mysql_stmt_fetch_column(_stmt, &_results[i], static_cast<unsigned int>(i), 0) != 0)
                fail("mysql_stmt_fetch_column error");
        }
        if (mysql_stmt_bind_result(_stmt, _results.data()) != 0)
            fail("mysql_stmt_bind_result error");
    }

    MYSQL_STMT* _stmt;
    std::vector<Parameter> _parameters;
    std::vector<MYSQL_BIND> _binds;
    std::vector<Column> _columns;
    std::vector<MYSQL_BIND> _results;
    bool _executed = false; ///< a result to read (and to free)
};
} // namespace

std::unique_ptr<NativeStatement> prepareMysql(Poco::Data::Session& session, std::string_view sql)
{
    return std::make_unique<MysqlStatement>(Poco::AnyCast<MYSQL*>(session.getProperty("handle")), sql);
}

} // namespace captrack::storage
