#include "NativeQuery.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <mysql.h>

#include <cstring>

namespace captrack::storage
{

namespace
{
/// One parameter's value, kept alive while the statement runs.
struct Parameter
{
    Poco::Int64 integer = 0;
    double real = 0;
    std::string text;
    my_bool null = 0;
};

/// One column of the current row and where the client library writes it.
struct Column
{
    enum class Kind
    {
        Integer,
        Real,
        Text
    } kind = Kind::Text;
    Poco::Int64 integer = 0;
    double real = 0;
    std::vector<char> text = std::vector<char>(64);
    unsigned long length = 0;
    my_bool null = 0;
    my_bool truncated = 0;
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
        return field.decimals == 0 ? Column::Kind::Integer : Column::Kind::Real;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return Column::Kind::Real;
    default:
        return Column::Kind::Text;
    }
}

class MysqlQuery final : public NativeQuery
{
public:
    MysqlQuery(MYSQL* pMysql, std::string sql) : _sql(std::move(sql)), _pStmt(mysql_stmt_init(pMysql))
    {
        if (!_pStmt)
            throw Poco::Data::MySQL::StatementException("mysql_stmt_init: out of memory");
        if (mysql_stmt_prepare(_pStmt, _sql.c_str(), static_cast<unsigned long>(_sql.size())) != 0)
            fail("mysql_stmt_prepare");
    }
    ~MysqlQuery() override
    {
        if (_pMeta)
            mysql_free_result(_pMeta);
        mysql_stmt_free_result(_pStmt);
        mysql_stmt_close(_pStmt);
    }
    MysqlQuery(const MysqlQuery&) = delete;
    MysqlQuery& operator=(const MysqlQuery&) = delete;

    void execute(const std::vector<Poco::Dynamic::Var>& values)
    {
        bindParameters(values);
        if (mysql_stmt_execute(_pStmt) != 0)
            fail("mysql_stmt_execute");
        bindColumns();
    }

    bool next() override
    {
        if (_finished)
            return false;
        const int rc = mysql_stmt_fetch(_pStmt);
        if (rc == MYSQL_NO_DATA)
        {
            _finished = true;
            return false;
        }
        if (rc == 1)
        {
            _finished = true;
            fail("mysql_stmt_fetch");
        }
        if (rc == MYSQL_DATA_TRUNCATED)
            fetchTruncated();
        return true;
    }

    bool isNull(int column) const override { return _columns[index(column)].null != 0; }
    Poco::Int64 integer(int column) const override
    {
        const auto& c = _columns[index(column)];
        return c.kind == Column::Kind::Real ? static_cast<Poco::Int64>(c.real) : c.integer;
    }
    double real(int column) const override
    {
        const auto& c = _columns[index(column)];
        return c.kind == Column::Kind::Integer ? static_cast<double>(c.integer) : c.real;
    }
    std::string_view text(int column) const override
    {
        const auto& c = _columns[index(column)];
        return c.null ? std::string_view() : std::string_view(c.text.data(), c.length);
    }

private:
    [[noreturn]] void fail(const char* step) const { throw Poco::Data::MySQL::StatementException(step, _pStmt, _sql); }
    static std::size_t index(int column) { return static_cast<std::size_t>(column); }

    void bindParameters(const std::vector<Poco::Dynamic::Var>& values)
    {
        _parameters.assign(values.size(), Parameter());
        std::vector<MYSQL_BIND> binds(values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
        {
            const auto& value = values[i];
            auto& p = _parameters[i];
            auto& b = binds[i];
            std::memset(&b, 0, sizeof b);
            if (value.isEmpty())
            {
                p.null = 1;
                b.buffer_type = MYSQL_TYPE_NULL;
                b.is_null = &p.null;
            }
            else if (value.isBoolean() || (value.isInteger() && !value.isString()))
            {
                p.integer = value.isBoolean() ? (value.convert<bool>() ? 1 : 0) : value.convert<Poco::Int64>();
                b.buffer_type = MYSQL_TYPE_LONGLONG;
                b.buffer = &p.integer;
            }
            else if (value.isNumeric() && !value.isString())
            {
                p.real = value.convert<double>();
                b.buffer_type = MYSQL_TYPE_DOUBLE;
                b.buffer = &p.real;
            }
            else
            {
                p.text = value.convert<std::string>();
                b.buffer_type = MYSQL_TYPE_STRING;
                b.buffer = p.text.data();
                b.buffer_length = static_cast<unsigned long>(p.text.size());
            }
        }
        if (!binds.empty() && mysql_stmt_bind_param(_pStmt, binds.data()) != 0)
            fail("mysql_stmt_bind_param");
    }

    void bindColumns()
    {
        _pMeta = mysql_stmt_result_metadata(_pStmt);
        if (!_pMeta)
            fail("mysql_stmt_result_metadata");
        const unsigned count = mysql_num_fields(_pMeta);
        const MYSQL_FIELD* fields = mysql_fetch_fields(_pMeta);
        _columns.assign(count, Column());
        _binds.assign(count, MYSQL_BIND());
        for (unsigned i = 0; i < count; ++i)
        {
            auto& c = _columns[i];
            c.kind = kindOf(fields[i]);
            rebind(i);
        }
        if (mysql_stmt_bind_result(_pStmt, _binds.data()) != 0)
            fail("mysql_stmt_bind_result");
    }

    void rebind(unsigned i)
    {
        auto& c = _columns[i];
        auto& b = _binds[i];
        std::memset(&b, 0, sizeof b);
        b.is_null = &c.null;
        b.length = &c.length;
        b.error = &c.truncated;
        switch (c.kind)
        {
        case Column::Kind::Integer:
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = &c.integer;
            break;
        case Column::Kind::Real:
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = &c.real;
            break;
        case Column::Kind::Text:
            b.buffer_type = MYSQL_TYPE_STRING;
            b.buffer = c.text.data();
            b.buffer_length = static_cast<unsigned long>(c.text.size());
            break;
        }
    }

    /// A text longer than its buffer: the buffer grows, and the whole value is fetched again.
    void fetchTruncated()
    {
        bool grown = false;
        for (unsigned i = 0; i < _columns.size(); ++i)
        {
            auto& c = _columns[i];
            if (!c.truncated || c.kind != Column::Kind::Text)
                continue;
            c.text.resize(c.length + 1);
            rebind(i);
            grown = true;
            if (mysql_stmt_fetch_column(_pStmt, &_binds[i], i, 0) != 0)
                fail("mysql_stmt_fetch_column");
        }
        if (grown && mysql_stmt_bind_result(_pStmt, _binds.data()) != 0)
            fail("mysql_stmt_bind_result");
    }

    std::string _sql;
    MYSQL_STMT* _pStmt;
    MYSQL_RES* _pMeta = nullptr;
    std::vector<Parameter> _parameters;
    std::vector<Column> _columns;
    std::vector<MYSQL_BIND> _binds;
    bool _finished = false;
};
} // namespace

std::unique_ptr<NativeQuery> runMysqlQuery(Poco::Data::Session& session, const std::string& sql,
                                           const std::vector<Poco::Dynamic::Var>& values)
{
    auto* pImpl = dynamic_cast<Poco::Data::MySQL::SessionImpl*>(session.impl());
    if (!pImpl)
        throw Poco::Data::MySQL::StatementException("a native query needs a SQLite or MySQL session: " +
                                                    session.connector());
    MYSQL* pMysql = pImpl->handle();
    auto pQuery = std::make_unique<MysqlQuery>(pMysql, sql);
    pQuery->execute(values);
    return pQuery;
}

} // namespace captrack::storage
