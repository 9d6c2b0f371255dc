-- wrk script for run-http-bench.sh: each wrk thread PATCHes its own milestone over its one connection
-- (run wrk with as many threads as connections). BENCH_MILESTONES (environment) lists
-- "id:version:progress" entries, one per thread, as last read by GET. Every request sends
-- If-Match with the version last seen and flips `progress` between two values (a real change: a
-- PATCH that changes nothing keeps the version); a 200 carries the new version in its ETag, which
-- the next request sends. Anything but a 200 is counted as unexpected (a 412 would mean this
-- tracking is wrong).
--
-- Each thread stops itself right after the first response that arrives BENCH_SECONDS after its first
-- request, so no PATCH is in flight when wrk ends (wrk's -d must be a little longer: run-http-bench.sh
-- gives 3 s more) and the number of 200s counted here is exactly the number of versions written. The
-- rate is those 200s over the threads' own window (wrk's Requests/sec divides by all of -d). done()
-- prints, for the script:
--   patch-check: responses N, ok N, unexpected N, by status -, version jumps N, unstopped N, window S s, rate R/s
--   patch-check: milestone ID from version V to version W, ok N
--   patch-check: first unexpected body: ...
local ffi = require("ffi")
ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec* ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")
local function now()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local seconds = tonumber(os.getenv("BENCH_SECONDS") or "8")
local entries = {}
for id, version, progress in string.gmatch(os.getenv("BENCH_MILESTONES") or "", "(%d+):(%d+):(%d+)") do
    table.insert(entries, { id = tonumber(id), version = tonumber(version), progress = tonumber(progress) })
end
local threads = {}

function setup(thread)
    local entry = entries[#threads + 1]
    if entry == nil then
        error("BENCH_MILESTONES names fewer milestones than there are wrk threads")
    end
    thread:set("milestone", entry.id)
    thread:set("first_version", entry.version)
    thread:set("version", entry.version)
    thread:set("progress", entry.progress)
    table.insert(threads, thread)
end

function init(args)
    path = "/api/v1/milestones/" .. milestone
    -- two progress values; the first PATCH moves away from the current one
    low = progress < 100 and progress or progress - 1
    high = low + 1
    responses, ok, unexpected, jumps = 0, 0, 0, 0
    by_status = {}
    first_body = ""
    started, stopped = 0, 0
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    if started == 0 then
        started = now()
    end
    sent = progress == low and high or low
    wrk.headers["If-Match"] = '"' .. version .. '"'
    return wrk.format("PATCH", path, nil, '{"progress":' .. sent .. '}')
end

function response(status, headers, body)
    responses = responses + 1
    if status == 200 then
        ok = ok + 1
        progress = sent
        local etag = tonumber(string.match(headers["ETag"] or headers["Etag"] or headers["etag"] or "", "(%d+)"))
        if etag == nil then
            etag = tonumber(string.match(body or "", '"version":(%d+)'))
        end
        if etag ~= version + 1 then
            jumps = jumps + 1
        end
        version = etag or version + 1
    else
        unexpected = unexpected + 1
        by_status[status] = (by_status[status] or 0) + 1
        if first_body == "" then
            first_body = "HTTP " .. status .. ": " .. string.sub(body or "", 1, 200)
        end
    end
    local t = now()
    if t - started >= seconds then
        stopped = t
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local total, good, bad, jumped, unstopped = 0, 0, 0, 0, 0
    local first, last = nil, nil
    local statuses, body, lines = {}, "", {}
    for _, thread in ipairs(threads) do
        total = total + thread:get("responses")
        good = good + thread:get("ok")
        bad = bad + thread:get("unexpected")
        jumped = jumped + thread:get("jumps")
        for status, count in pairs(thread:get("by_status")) do
            statuses[status] = (statuses[status] or 0) + count
        end
        if body == "" then
            body = thread:get("first_body")
        end
        local started, stopped = thread:get("started"), thread:get("stopped")
        if stopped == 0 then
            unstopped = unstopped + 1
        else
            first = math.min(first or started, started)
            last = math.max(last or stopped, stopped)
        end
        table.insert(lines, string.format("patch-check: milestone %d from version %d to version %d, ok %d",
            thread:get("milestone"), thread:get("first_version"), thread:get("version"), thread:get("ok")))
    end
    local list = {}
    for status, count in pairs(statuses) do
        table.insert(list, status .. "=" .. count)
    end
    table.sort(list)
    local window = (first and last) and (last - first) or 0
    print(string.format(
        "patch-check: responses %d, ok %d, unexpected %d, by status %s, version jumps %d, unstopped %d, window %.3f s, rate %.1f/s",
        total, good, bad, #list > 0 and table.concat(list, " ") or "-", jumped, unstopped, window,
        window > 0 and good / window or 0))
    for _, line in ipairs(lines) do
        print(line)
    end
    if body ~= "" then
        print("patch-check: first unexpected body: " .. string.gsub(body, "[\r\n]", " "))
    end
end
