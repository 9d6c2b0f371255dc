#include "IndependentReader.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>
#include <sqlite3.h>

#include <memory>

namespace captrack::test
{

namespace
{
std::string sqliteScalar(const std::string& path, const std::string& sql)
{
    sqlite3* pDb = nullptr;
    if (sqlite3_open_v2(path.c_str(), &pDb, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    {
        sqlite3_close(pDb);
        throw Poco::IOException("sqlite3 cannot open " + path);
    }
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(pDb, sqlite3_close);
    sqlite3_stmt* pStatement = nullptr;
    if (sqlite3_prepare_v2(pDb, sql.c_str(), -1, &pStatement, nullptr) != SQLITE_OK)
        throw Poco::IOException("sqlite3 cannot prepare: " + sql + ": " + sqlite3_errmsg(pDb));
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(pStatement, sqlite3_finalize);
    const int rc = sqlite3_step(pStatement);
    if (rc == SQLITE_DONE)
        return "";
    if (rc != SQLITE_ROW)
        throw Poco::IOException("sqlite3 step failed: " + sql);
    const auto* text = sqlite3_column_text(pStatement, 0);
    return text ? reinterpret_cast<const char*>(text) : "NULL";
}

std::string mysqlScalar(const std::string& url, const std::string& sql)
{
    const Poco::URI uri(url);
    const std::string userInfo = uri.getUserInfo();
    const auto colon = userInfo.find(':');
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString("tcp://" + uri.getHost() + ":" + std::to_string(uri.getPort()));
    options["userName"] = sql::SQLString(userInfo.substr(0, colon));
    options["password"] = sql::SQLString(colon == std::string::npos ? "" : userInfo.substr(colon + 1));
    options["schema"] = sql::SQLString(uri.getPath().substr(1));
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    std::unique_ptr<sql::Connection> connection(sql::mysql::get_mysql_driver_instance()->connect(options));
    std::unique_ptr<sql::Statement> statement(connection->createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(sql));
    if (!rows->next())
        return "";
    return rows->isNull(1) ? "NULL" : std::string(rows->getString(1));
}
} // namespace

IndependentReader::IndependentReader(std::string url) : _url(std::move(url)) {}

Poco::Int64 IndependentReader::count(const std::string& from) const
{
    return std::stoll(scalar("SELECT COUNT(*) FROM " + from));
}

std::string IndependentReader::scalar(const std::string& sql) const
{
    if (_url.rfind("sqlite:", 0) == 0)
        return sqliteScalar(_url.substr(7), sql);
    return mysqlScalar(_url, sql);
}

} // namespace captrack::test
