#include "NativeQuery.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/String.h>

namespace captrack::storage
{

std::unique_ptr<NativeQuery> NativeQuery::run(Poco::Data::Session& session, const std::string& sql,
                                              const std::vector<Poco::Dynamic::Var>& values)
{
    if (Poco::icompare(session.connector(), Poco::Data::SQLite::Connector::KEY) == 0)
        return runSqliteQuery(session, sql, values);
    return runMysqlQuery(session, sql, values);
}

} // namespace captrack::storage
