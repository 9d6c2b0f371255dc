#pragma once

// Folder-private: positions of loaded projects by id (the roll-up loaders).

#include <Poco/Types.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace captrack::report
{

/// Positions of projects by id: a table indexed by id where the ids are dense enough (as database ids
/// mostly are), else a hash map. Built once, read for every child row. Immutable once built.
class ProjectIndex
{
public:
    static constexpr std::size_t NONE = static_cast<std::size_t>(-1);

    /// Position i holds the project with id ids[i].
    explicit ProjectIndex(const std::vector<Poco::Int64>& ids)
    {
        if (ids.empty())
            return;
        const auto [low, high] = std::minmax_element(ids.begin(), ids.end());
        _first = *low;
        const auto span = static_cast<std::uint64_t>(*high - *low) + 1;
        if (span <= 4 * static_cast<std::uint64_t>(ids.size()) + 1024)
        {
            _table.assign(static_cast<std::size_t>(span), NONE);
            for (std::size_t i = 0; i < ids.size(); ++i)
                _table[static_cast<std::size_t>(ids[i] - _first)] = i;
            return;
        }
        _map.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            _map.emplace(ids[i], i);
    }

    /// The position of the project with this id, or NONE.
    [[nodiscard]] std::size_t find(Poco::Int64 id) const
    {
        if (!_table.empty())
        {
            const Poco::Int64 at = id - _first;
            return at < 0 || at >= static_cast<Poco::Int64>(_table.size()) ? NONE
                                                                           : _table[static_cast<std::size_t>(at)];
        }
        const auto it = _map.find(id);
        return it == _map.end() ? NONE : it->second;
    }

private:
    Poco::Int64 _first = 0;
    std::vector<std::size_t> _table;
    std::unordered_map<Poco::Int64, std::size_t> _map;
};

} // namespace captrack::report
