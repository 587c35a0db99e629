-- wrk's readers over a page mix: each request picks a path from the mix file (bench/traffic.py
-- writes it: one "weight path" a line), as often as its weight says.
--   wrk -s bench/mix.lua http://127.0.0.1:8123 -- MIX_FILE SEED

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

local paths, cumulative, total = {}, {}, 0

function init(args)
  for line in io.lines(args[1]) do
    local weight, path = line:match("^(%d+) (%S+)$")
    total = total + tonumber(weight)
    paths[#paths + 1] = path
    cumulative[#cumulative + 1] = total
  end
  -- Each thread its own sequence, the same in every run.
  math.randomseed(tonumber(args[2]) + number)
end

function request()
  local pick = math.random(total)
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < pick then
      low = middle + 1
    else
      high = middle
    end
  end
  return wrk.format(nil, paths[low])
end
