#include "NativeStatement.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <mysql/mysql.h>

#include <charconv>
#include <cstring>
#include <vector>

namespace captrack::storage
{

namespace
{
/// A column buffer's first size; a longer value grows it (fetched again by mysql_stmt_fetch_column).
constexpr unsigned long FIRST_COLUMN_BYTES = 256;

/// A parameter's value, kept alive until the statement executes.
struct Parameter
{
    enum_field_types type = MYSQL_TYPE_NULL;
    long long integer = 0;
    double real = 0;
    std::string text;
};

/// One result column, fetched as text whatever its SQL type (the client library converts).
struct Column
{
    std::vector<char> bytes = std::vector<char>(FIRST_COLUMN_BYTES);
    unsigned long length = 0;
    my_bool null = 0;
    my_bool error = 0;
};

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
        _columns.resize(mysql_stmt_field_count(_stmt));
        _results.resize(_columns.size());
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

    void execute() override
    {
        bindParameters();
        if (mysql_stmt_execute(_stmt) != 0)
            fail("mysql_stmt_execute error");
        if (_columns.empty())
            return;
        // The whole result comes over at once, so that other statements may run on the connection while
        // its rows are read.
        if (mysql_stmt_store_result(_stmt) != 0)
            fail("mysql_stmt_store_result error");
        _stored = true;
        bindColumns();
    }

    bool next() override
    {
        if (!_stored)
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

    bool isNull(int column) const override { return _columns[static_cast<std::size_t>(column)].null != 0; }
    Poco::Int64 integer(int column) const override
    {
        const auto& value = _columns[static_cast<std::size_t>(column)];
        long long number = 0;
        std::from_chars(value.bytes.data(), value.bytes.data() + value.length, number);
        return number;
    }
    double real(int column) const override
    {
        const auto& value = _columns[static_cast<std::size_t>(column)];
        double number = 0;
        std::from_chars(value.bytes.data(), value.bytes.data() + value.length, number);
        return number;
    }
    std::string text(int column) const override
    {
        const auto& value = _columns[static_cast<std::size_t>(column)];
        return std::string(value.bytes.data(), value.length);
    }

    void reset() noexcept override
    {
        if (_stored)
            mysql_stmt_free_result(_stmt);
        _stored = false;
        _parameters.clear();
    }

private:
    [[noreturn]] void fail(const char* what) const { throw Poco::Data::MySQL::StatementException(what, _stmt); }

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

    void bindColumns()
    {
        for (std::size_t i = 0; i < _columns.size(); ++i)
        {
            auto& column = _columns[i];
            auto& bind = _results[i];
            bind = MYSQL_BIND{};
            bind.buffer_type = MYSQL_TYPE_STRING;
            bind.buffer = column.bytes.data();
            bind.buffer_length = static_cast<unsigned long>(column.bytes.size());
            bind.length = &column.length;
            bind.is_null = &column.null;
            bind.error = &column.error;
        }
        if (mysql_stmt_bind_result(_stmt, _results.data()) != 0)
            fail("mysql_stmt_bind_result error");
    }

    /// The columns longer than their buffer: grown, fetched again whole, and bound for the next rows.
    void fetchLongColumns()
    {
        for (std::size_t i = 0; i < _columns.size(); ++i)
        {
            auto& column = _columns[i];
            if (column.null || column.length <= column.bytes.size())
                continue;
            column.bytes.resize(column.length);
            auto& bind = _results[i];
            bind.buffer = column.bytes.data();
            bind.buffer_length = column.length;
            if (mysql_stmt_fetch_column(_stmt, &bind, static_cast<unsigned int>(i), 0) != 0)
                fail("mysql_stmt_fetch_column error");
        }
        bindColumns();
    }

    MYSQL_STMT* _stmt;
    std::vector<Parameter> _parameters;
    std::vector<MYSQL_BIND> _binds;
    std::vector<Column> _columns;
    std::vector<MYSQL_BIND> _results;
    bool _stored = false;
};
} // namespace

std::unique_ptr<NativeStatement> prepareMysql(Poco::Data::Session& session, std::string_view sql)
{
    return std::make_unique<MysqlStatement>(Poco::AnyCast<MYSQL*>(session.getProperty("handle")), sql);
}

} // namespace captrack::storage
