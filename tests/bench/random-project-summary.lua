-- wrk script: each request asks for the status summary of a random project whose id lies in
-- [BENCH_MIN_ID, BENCH_MAX_ID] (environment), so the benchmark does not hit one hot row. The bare
-- server ignores the path, so the same script drives both sides of the ratio.
local low = tonumber(os.getenv("BENCH_MIN_ID") or "1")
local high = tonumber(os.getenv("BENCH_MAX_ID") or "1")

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

function request()
    return wrk.format("GET", "/api/v1/projects/" .. math.random(low, high) .. "/summary?as_of=2027-03-01")
end
