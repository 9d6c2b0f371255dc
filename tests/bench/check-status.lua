-- wrk script for run-http-bench.sh: sends the URL's request unchanged and checks the status of every
-- response. Each thread counts the answers whose status is not BENCH_EXPECT_STATUS (environment,
-- default 200) and keeps the first such body; done() prints, for the script to parse:
--   status-check: responses N, unexpected N, by status 404=3 500=1
--   status-check: first unexpected body: ...
local expected = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "200")
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    responses = 0
    unexpected = 0
    by_status = {}
    first_body = ""
end

function response(status, headers, body)
    responses = responses + 1
    if status ~= expected then
        unexpected = unexpected + 1
        by_status[status] = (by_status[status] or 0) + 1
        if first_body == "" then
            first_body = "HTTP " .. status .. ": " .. string.sub(body or "", 1, 200)
        end
    end
end

function done(summary, latency, requests)
    local total, bad, statuses, body = 0, 0, {}, ""
    for _, thread in ipairs(threads) do
        total = total + thread:get("responses")
        bad = bad + thread:get("unexpected")
        for status, count in pairs(thread:get("by_status")) do
            statuses[status] = (statuses[status] or 0) + count
        end
        if body == "" then
            body = thread:get("first_body")
        end
    end
    local list = {}
    for status, count in pairs(statuses) do
        table.insert(list, status .. "=" .. count)
    end
    table.sort(list)
    print(string.format("status-check: responses %d, unexpected %d, by status %s", total, bad,
        #list > 0 and table.concat(list, " ") or "-"))
    if body ~= "" then
        print("status-check: first unexpected body: " .. string.gsub(body, "[\r\n]", " "))
    end
end
