-- The scenario API as scripts see it (docs/scenario-api.md).  Runs inside the sandbox before the
-- user's script.  Constructors validate and normalize (every quantity to SI numbers) so the C run model
-- reads plain tables; any mistake is reported at the user's line, saying what was expected and what was
-- given.  Model and dataset catalogs live here with their sources (docs/model.md).
-- This is part 1 of 4 (the checks every constructor uses); prelude-hardware.lua, prelude-models.lua and
-- prelude-run.lua follow, concatenated into one chunk by embed.py, so a local defined here is in scope there.
local ts = ...                       -- C helpers: quantity, param, device, host_cpu, slice, instance, where, generation, set_run
local type, error, pairs, ipairs, pcall, select = type, error, pairs, ipairs, pcall, select
local tostring, tonumber, setmetatable, rawget = tostring, tonumber, setmetatable, rawget
local getmetatable, next, rawset = getmetatable, next, rawset
local floor, huge, mtype, min = math.floor, math.huge, math.type, math.min
local sort, concat = table.sort, table.concat
local format, match = string.format, string.match
local yield, running, create = coroutine.yield, coroutine.running, coroutine.create
-- Every standard function the prelude calls is captured above, before the script runs: a script that
-- replaces math.type or string.match afterwards changes nothing here (and the host re-checks every value
-- it reads anyway: scenario/fields.c).

-- Every public function goes through api(): an error inside is re-raised at the caller's line.
local function api(name, fn)
  return function(...)
    local ok, res = pcall(fn, ...)
    if not ok then
      if type(res) == "string" then error(name .. ": " .. res, 2) end
      error(res, 2)
    end
    return res
  end
end

local function fail(fmt, ...) error(format(fmt, ...), 0) end

local function describe(v)
  if type(v) == "string" then return format("%q", v) end
  return tostring(v) .. " (" .. type(v) .. ")"
end

local function expect_table(v, what)
  if type(v) ~= "table" then fail("%s: expected a table, got %s", what, describe(v)) end
  return v
end

-- Unknown keys are mistakes (a typo would otherwise be silently ignored).
local function check_keys(t, allowed, what)
  local set = {}
  for _, k in ipairs(allowed) do set[k] = true end
  local bad = {}
  for k in next, t do -- raw: a __pairs metamethod must not hide a key
    if not set[k] then bad[#bad + 1] = tostring(k) end
  end
  if #bad > 0 then
    sort(bad)
    sort(allowed)
    fail("%sunknown field %s; accepted: %s", what and (what .. ": ") or "", bad[1], concat(allowed, ", "))
  end
end

local function quantity(v, dim, what)
  local value, per = ts.quantity(v, dim)
  if value == nil then fail("%s: %s", what, per) end
  return value, per
end

local function opt_quantity(v, dim, what, default)
  if v == nil then return default end
  return (quantity(v, dim, what))
end

-- A rate or size that must be more than zero: "-1 Gbit/s" is a mistake.
local function positive_quantity(v, dim, what)
  local x = quantity(v, dim, what)
  if not (x > 0) then fail("%s: expected a positive %s, got %s", what, dim, describe(v)) end
  return x
end

-- A duration that cannot be negative (a wait, a startup, a restart): "-5 min" is a mistake, not zero.
local function duration(v, what, default)
  if v == nil and default ~= nil then return default end
  local s = quantity(v, "time", what)
  if s < 0 then fail("%s: expected a duration of zero or more, got %s", what, describe(v)) end
  return s
end

-- A duration that must be more than zero (an interval between events, a mean time between failures).
local function positive_duration(v, what)
  local s = quantity(v, "time", what)
  if not (s > 0) then fail("%s: expected a positive duration, got %s", what, describe(v)) end
  return s
end

local function positive(v, what)
  if type(v) ~= "number" or v ~= v or v <= 0 or v == huge then
    fail("%s: expected a positive number, got %s", what, describe(v))
  end
  return v
end

-- Counts the run model keeps in 32 bits (devices, layers, parallel degrees) are at most MAX_COUNT; the
-- others (batch, steps, samples) at most 2^53, where a double still counts exactly.
local MAX_COUNT, MAX_COUNT64 = 2147483647, 9007199254740992
local function positive_int(v, what, max)
  if mtype(v) == "float" and v == floor(v) and v < 2^53 then v = floor(v) end
  if mtype(v) ~= "integer" or v <= 0 then
    fail("%s: expected a positive integer, got %s", what, describe(v))
  end
  max = max or MAX_COUNT64
  if v > max then fail("%s: expected a positive integer of at most %d, got %s", what, max, describe(v)) end
  return v
end
local function count(v, what) return positive_int(v, what, MAX_COUNT) end

local function one_of(v, choices, what, default)
  if v == nil then return default end
  for _, c in ipairs(choices) do if v == c then return v end end
  fail("%s: expected one of %s, got %s", what, concat(choices, ", "), describe(v))
end

local next_id = 0
local function tagged(kind, t)
  t.__kind = kind
  next_id = next_id + 1
  t.__id = next_id -- identity for provision/release, stable across the C boundary
  return t
end
local function is(v, kind) return type(v) == "table" and rawget(v, "__kind") == kind end

-- param(name, default): a value `--set name=value` (or a sweep) may override.
param = api("param", function(name, default)
  if type(name) ~= "string" or not match(name, "^[%a_][%w_]*$") then
    fail("expected a name of letters, digits and _, got %s", describe(name))
  end
  local dt = type(default)
  if dt ~= "number" and dt ~= "string" and dt ~= "boolean" then
    fail("%s: default must be a number, string or boolean, got %s", name, describe(default))
  end
  local v, err = ts.param(name, default)
  if err then fail("%s", err) end
  return v
end)

