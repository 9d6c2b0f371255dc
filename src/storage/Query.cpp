#include "Query.h"

#include "StatementCache.h"

namespace captrack::storage
{

Query::Query(Poco::Data::Session& session, std::string_view sql, Reuse reuse, Rows rows)
    : _pCache(reuse == Reuse::Yes ? StatementCache::of(session) : nullptr), _rows(rows)
{
    if (_pCache)
        _pStatement = _pCache->acquire(sql);
    else
    {
        _pOwned = prepareNative(session, sql);
        _pStatement = _pOwned.get();
    }
}

Query::~Query()
{
    if (_pCache)
        _pCache->release(_pStatement, _failed ? StatementCache::Keep::No : StatementCache::Keep::Yes);
}

Query& Query::bind(Poco::Int64 value)
{
    _pStatement->bindInteger(value);
    return *this;
}

Query& Query::bind(double value)
{
    _pStatement->bindReal(value);
    return *this;
}

Query& Query::bind(std::string_view value)
{
    _pStatement->bindText(value);
    return *this;
}

Query& Query::bindNull()
{
    _pStatement->bindNull();
    return *this;
}

Query& Query::bind(const Poco::Dynamic::Var& value)
{
    if (value.isEmpty())
        return bindNull();
    if (value.isString())
        return bind(std::string_view(value.extract<std::string>()));
    if (value.isBoolean())
        return bind(static_cast<Poco::Int64>(value.convert<bool>() ? 1 : 0));
    if (value.isInteger())
        return bind(value.convert<Poco::Int64>());
    if (value.isNumeric())
        return bind(value.convert<double>());
    return bind(std::string_view(value.convert<std::string>()));
}

Poco::UInt64 Query::run()
{
    const Failure failure(*this);
    _pStatement->execute(_rows == Rows::Streamed);
    _executed = true;
    return _pStatement->changes();
}

bool Query::next()
{
    const Failure failure(*this);
    if (!_executed)
    {
        _pStatement->execute(_rows == Rows::Streamed);
        _executed = true;
    }
    return _pStatement->next();
}

std::optional<Poco::Int64> Query::optionalInteger(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return integer(column);
}

std::optional<std::string> Query::optionalText(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return text(column);
}

Poco::Int64 Query::single(Poco::Int64 otherwise)
{
    return next() ? integer(0) : otherwise;
}

} // namespace captrack::storage
