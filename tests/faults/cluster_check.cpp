// cluster_check: do the nodes of a Galera cluster hold the same data? Reads every table of every node
// directly (not through the load balancer, not through the server's Poco::Data), through MySQL
// Connector/C++, and compares the rows, ordered by primary key, by SHA-256. Optionally checks a file of
// acknowledged writes on every node.
//
//   cluster_check [--writes FILE] URL URL [URL ...]
//
// URL: mysql://USER:PASSWORD@HOST:PORT/DATABASE of one node. FILE: JSON lines such as
// {"table": "contributions", "id": 12, "version": 3}: the row with that id must be on every node, with at
// least that version ("version" may be left out, and is not compared for tables without that column).
// Each node is read in one consistent snapshot taken after the node has applied every write the cluster
// committed before it (wsrep_sync_wait = 1); compare a cluster without write load, or differences
// between the snapshots are reported as differences.
//
// Prints each table's row count per node and a verdict. Exit 0 when the nodes are identical, every table
// has a primary key and every acknowledged write is everywhere; 1 otherwise; 2 for bad arguments or a
// node that cannot be read.

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace
{

const int EXIT_SAME = 0;
const int EXIT_DIFFERENT = 1;
const int EXIT_USAGE = 2;
/// How many differing rows or missing writes are named before the rest are only counted.
const std::size_t SHOWN = 10;

/// A table as one node holds it: primary key text and SHA-256 of each row, in primary key order.
struct TableRows
{
    std::vector<std::string> keys;
    std::vector<std::string> digests;
    std::string tableDigest;
};

/// One acknowledged write from the --writes file.
struct Write
{
    std::string table;
    std::int64_t id = 0;
    std::int64_t version = 0; ///< 0: presence only
};

std::string quoted(const std::string& identifier)
{
    std::string text = "`";
    for (const char c : identifier)
        text += c == '`' ? std::string("``") : std::string(1, c);
    return text + "`";
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator)
{
    std::string text;
    for (const auto& part : parts)
        text += (text.empty() ? "" : separator) + part;
    return text;
}

/// A connection to one node, reading in one snapshot. Not thread-safe.
class Node
{
public:
    explicit Node(const std::string& url)
    {
        const Poco::URI uri(url);
        if (uri.getScheme() != "mysql" || uri.getPath().size() < 2)
            throw Poco::InvalidArgumentException("not a mysql://USER:PASSWORD@HOST:PORT/DATABASE URL", url);
        _label = uri.getHost() + ":" + std::to_string(uri.getPort());
        const std::string userInfo = uri.getUserInfo();
        const auto colon = userInfo.find(':');
        sql::ConnectOptionsMap options;
        options["hostName"] = sql::SQLString("tcp://" + _label);
        options["userName"] = sql::SQLString(userInfo.substr(0, colon));
        options["password"] = sql::SQLString(colon == std::string::npos ? "" : userInfo.substr(colon + 1));
        options["schema"] = sql::SQLString(uri.getPath().substr(1));
        options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
        _connection.reset(sql::mysql::get_mysql_driver_instance()->connect(options));
        std::unique_ptr<sql::Statement> statement(_connection->createStatement());
        // The snapshot starts once this node has applied what the cluster committed before it.
        statement->execute("SET SESSION wsrep_sync_wait = 1");
        statement->execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }

    [[nodiscard]] const std::string& label() const { return _label; }

    /// The first column of each row of a query, as text.
    [[nodiscard]] std::vector<std::string> column(const std::string& query, const std::string& parameter = "") const
    {
        std::unique_ptr<sql::PreparedStatement> statement(_connection->prepareStatement(query));
        if (!parameter.empty())
            statement->setString(1, parameter);
        std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
        std::vector<std::string> values;
        while (rows->next())
            values.emplace_back(rows->getString(1));
        return values;
    }

    [[nodiscard]] std::vector<std::string> tables() const
    {
        return column("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                      "AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
    }

    [[nodiscard]] std::vector<std::string> primaryKey(const std::string& table) const
    {
        return column("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() "
                      "AND CONSTRAINT_NAME = 'PRIMARY' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                      table);
    }

    [[nodiscard]] std::vector<std::string> columns(const std::string& table) const
    {
        return column("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                      "AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                      table);
    }

    /// Every row of `table` ordered by `order` (its primary key, or all columns without one).
    [[nodiscard]] TableRows rows(const std::string& table, const std::vector<std::string>& order,
                                 std::size_t keyColumns) const
    {
        std::vector<std::string> orderBy;
        for (const auto& name : order)
            orderBy.push_back(quoted(name));
        std::unique_ptr<sql::Statement> statement(_connection->createStatement());
        std::unique_ptr<sql::ResultSet> result(
            statement->executeQuery("SELECT * FROM " + quoted(table) + " ORDER BY " + joined(orderBy, ", ")));
        const unsigned count = result->getMetaData()->getColumnCount();
        std::map<std::string, unsigned> position;
        for (unsigned i = 1; i <= count; ++i)
            position[std::string(result->getMetaData()->getColumnLabel(i))] = i;
        TableRows content;
        Poco::SHA2Engine all(Poco::SHA2Engine::SHA_256);
        while (result->next())
        {
            Poco::SHA2Engine row(Poco::SHA2Engine::SHA_256);
            for (unsigned i = 1; i <= count; ++i)
            {
                // NULL and '' differ; a length prefix keeps ("ab","c") apart from ("a","bc").
                if (result->isNull(i))
                {
                    row.update('N');
                    continue;
                }
                const std::string value(result->getString(i));
                row.update('V');
                row.update(std::to_string(value.size()) + ":");
                row.update(value);
            }
            std::vector<std::string> key;
            for (std::size_t k = 0; k < keyColumns; ++k)
            {
                const unsigned i = position.at(order[k]);
                key.push_back(result->isNull(i) ? std::string("NULL") : std::string(result->getString(i)));
            }
            content.keys.push_back(joined(key, ","));
            content.digests.push_back(Poco::DigestEngine::digestToHex(row.digest()));
            all.update(content.digests.back());
        }
        content.tableDigest = Poco::DigestEngine::digestToHex(all.digest());
        return content;
    }

    /// The version of row `id` of `table` (1 when the table has no version column); -1 when absent.
    [[nodiscard]] std::int64_t version(const std::string& table, bool versioned, std::int64_t id) const
    {
        std::unique_ptr<sql::PreparedStatement> statement(_connection->prepareStatement(
            "SELECT " + std::string(versioned ? "version" : "1") + " FROM " + quoted(table) + " WHERE id = ?"));
        statement->setInt64(1, id);
        std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
        return rows->next() ? rows->getInt64(1) : -1;
    }

private:
    std::string _label;
    std::unique_ptr<sql::Connection> _connection;
};

std::vector<Write> readWrites(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Poco::FileNotFoundException("cannot read the writes file", path);
    std::vector<Write> writes;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number)
    {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        try
        {
            const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
            Write write;
            write.table = object->getValue<std::string>("table");
            write.id = object->getValue<Poco::Int64>("id");
            if (object->has("version"))
                write.version = object->getValue<Poco::Int64>("version");
            writes.push_back(write);
        }
        catch (const Poco::Exception& e)
        {
            throw Poco::DataFormatException(path + ":" + std::to_string(number), e.displayText());
        }
    }
    return writes;
}

/// The rows in which node `other` differs from the first node, named up to SHOWN.
void reportRowDifferences(const std::string& table, const TableRows& first, const TableRows& other,
                          const std::string& firstLabel, const std::string& otherLabel)
{
    std::map<std::string, std::string> theirs;
    for (std::size_t i = 0; i < other.keys.size(); ++i)
        theirs[other.keys[i]] = other.digests[i];
    std::vector<std::string> problems;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < first.keys.size(); ++i)
    {
        seen.insert(first.keys[i]);
        const auto found = theirs.find(first.keys[i]);
        if (found == theirs.end())
            problems.push_back("key (" + first.keys[i] + ") on " + firstLabel + " only");
        else if (found->second != first.digests[i])
            problems.push_back("key (" + first.keys[i] + ") differs");
    }
    for (const auto& [key, digest] : theirs)
        if (seen.count(key) == 0)
            problems.push_back("key (" + key + ") on " + otherLabel + " only");
    for (std::size_t i = 0; i < problems.size() && i < SHOWN; ++i)
        std::cout << "  " << table << ": " << otherLabel << " vs " << firstLabel << ": " << problems[i] << "\n";
    if (problems.size() > SHOWN)
        std::cout << "  " << table << ": ... " << problems.size() - SHOWN << " more\n";
}

/// Compares every table on every node; prints the counts. Returns the number of problems.
int compareTables(const std::vector<std::unique_ptr<Node>>& nodes)
{
    std::set<std::string> names;
    for (const auto& node : nodes)
        for (const auto& table : node->tables())
            names.insert(table);
    std::cout << std::left << std::setw(28) << "table";
    for (const auto& node : nodes)
        std::cout << std::right << std::setw(18) << node->label();
    std::cout << "  verdict\n";
    int problems = 0;
    std::vector<std::string> withoutKey;
    for (const auto& table : names)
    {
        const auto key = nodes.front()->primaryKey(table);
        if (key.empty())
            withoutKey.push_back(table);
        const auto order = key.empty() ? nodes.front()->columns(table) : key;
        std::vector<TableRows> contents;
        std::vector<std::string> notes;
        for (const auto& node : nodes)
        {
            const bool present = !node->columns(table).empty();
            if (!present)
                notes.push_back("missing on " + node->label());
            contents.push_back(present ? node->rows(table, order, key.empty() ? order.size() : key.size())
                                       : TableRows{});
        }
        bool same = notes.empty();
        for (std::size_t n = 1; same && n < contents.size(); ++n)
            same = contents[n].tableDigest == contents[0].tableDigest;
        std::cout << std::left << std::setw(28) << table;
        for (const auto& content : contents)
            std::cout << std::right << std::setw(18) << content.keys.size();
        std::cout << "  " << (same ? "same" : "DIFFERENT") << (key.empty() ? ", NO PRIMARY KEY" : "")
                  << (notes.empty() ? "" : " (" + joined(notes, ", ") + ")") << "\n";
        if (!same && notes.empty())
            for (std::size_t n = 1; n < contents.size(); ++n)
                if (contents[n].tableDigest != contents[0].tableDigest)
                    reportRowDifferences(table, contents[0], contents[n], nodes[0]->label(), nodes[n]->label());
        problems += (same ? 0 : 1) + (key.empty() ? 1 : 0);
    }
    std::cout << names.size() << " tables; "
              << (withoutKey.empty() ? "every table has a primary key"
                                     : "without a primary key: " + joined(withoutKey, ", "))
              << "\n";
    return problems;
}

/// Checks each acknowledged write on each node. Returns the number of (write, node) pairs missing or older.
int checkWrites(const std::vector<std::unique_ptr<Node>>& nodes, const std::vector<Write>& writes)
{
    std::map<std::string, bool> versioned;
    for (const auto& table : nodes.front()->tables())
    {
        const auto names = nodes.front()->columns(table);
        const bool hasId = std::find(names.begin(), names.end(), "id") != names.end();
        if (hasId)
            versioned[table] = std::find(names.begin(), names.end(), "version") != names.end();
    }
    int missing = 0;
    int older = 0;
    int shown = 0;
    std::size_t lost = 0;
    for (const auto& write : writes)
    {
        const int before = missing + older;
        const auto table = versioned.find(write.table);
        if (table == versioned.end())
            throw Poco::InvalidArgumentException("the writes file names a table without an id column", write.table);
        for (const auto& node : nodes)
        {
            const auto version = node->version(write.table, table->second, write.id);
            const bool absent = version < 0;
            const bool stale = !absent && table->second && version < write.version;
            missing += absent ? 1 : 0;
            older += stale ? 1 : 0;
            if ((absent || stale) && shown++ < static_cast<int>(SHOWN))
                std::cout << "  " << write.table << " " << write.id << " on " << node->label() << ": "
                          << (absent ? std::string("missing")
                                     : "version " + std::to_string(version) + " < acknowledged " +
                                           std::to_string(write.version))
                          << "\n";
        }
        lost += missing + older > before ? 1 : 0;
    }
    std::cout << "acknowledged writes: " << writes.size() << " checked on " << nodes.size() << " nodes; " << missing
              << " missing, " << older << " older than acknowledged; lost writes: " << lost << "\n";
    return missing + older;
}

int usage()
{
    std::cerr << "usage: cluster_check [--writes FILE] mysql://USER:PASSWORD@HOST:PORT/DB "
                 "mysql://USER:PASSWORD@HOST:PORT/DB [...]\n";
    return EXIT_USAGE;
}

} // namespace

int main(int argc, char** argv)
{
    std::string writesFile;
    std::vector<std::string> urls;
    for (int i = 1; i < argc; ++i)
    {
        const std::string argument = argv[i];
        if (argument == "--writes" && i + 1 < argc)
            writesFile = argv[++i];
        else if (argument.rfind("--", 0) == 0)
            return usage();
        else
            urls.push_back(argument);
    }
    if (urls.size() < 2)
        return usage();
    try
    {
        const auto writes = writesFile.empty() ? std::vector<Write>{} : readWrites(writesFile);
        std::vector<std::unique_ptr<Node>> nodes;
        for (const auto& url : urls)
            nodes.push_back(std::make_unique<Node>(url));
        const int differences = compareTables(nodes);
        const int lost = writesFile.empty() ? 0 : checkWrites(nodes, writes);
        const bool same = differences == 0 && lost == 0;
        std::cout << "verdict: "
                  << (same ? "IDENTICAL"
                           : "DIFFERENT (" + std::to_string(differences) + " table problem(s), " +
                                 std::to_string(lost) + " write problem(s))")
                  << "\n";
        return same ? EXIT_SAME : EXIT_DIFFERENT;
    }
    catch (const sql::SQLException& e)
    {
        std::cerr << "cluster_check: " << e.what() << " (error " << e.getErrorCode() << ")\n";
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "cluster_check: " << e.displayText() << "\n";
    }
    catch (const std::exception& e)
    {
        std::cerr << "cluster_check: " << e.what() << "\n";
    }
    return EXIT_USAGE;
}
