-- The scenario API as scripts see it (docs/scenario-api.md).  Runs inside the sandbox before the
-- user's script.  Constructors validate and normalize (every quantity to SI numbers) so the C run model
-- reads plain tables; any mistake is reported at the user's line, saying what was expected and what was
-- given.  Model and dataset catalogs live here with their sources (docs/model.md).
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

---------------------------------------------------------------------------------------------------
-- Hardware
---------------------------------------------------------------------------------------------------
local PRICINGS = {"on-demand", "spot", "committed-1y", "committed-3y"}
local OWNER_PRICINGS = {"on-demand", "spot", "committed-1y", "committed-3y", "owned"}

-- How the machine is paid for.  A commitment has a term (1 or 3 years, priced apart), so the bare word is
-- refused rather than read as one of them (docs/model.md, "Prices and their units").
local function pricing_of(v, choices, what)
  if v == "committed" then
    fail("%s: \"committed\" does not say the term: say \"committed-1y\" or \"committed-3y\"", what)
  end
  return one_of(v, choices, what, nil)
end
local MACHINE_UNITS = {["core-hour"] = true, ["chip-hour"] = true, ["device-hour"] = true, ["slice-hour"] = true,
                       ["instance-hour"] = true, ["node-hour"] = true}

-- A machine's price: a number with a per-machine unit.  `unit` is the one that fits what is rented (a TPU
-- slice's chips, a whole instance, one GPU), so a mistake is answered with the unit the catalog would use.
local function machine_price(v, unit)
  if type(v) == "number" then
    fail("price: a price needs its unit, e.g. \"%s USD/%s\", got %s", tostring(v), unit, describe(v))
  end
  local price, per = quantity(v, "price", "price")
  if not MACHINE_UNITS[per] then
    fail("price: a machine is priced per core-, chip-, device-, slice-, instance- or node-hour (here USD/%s), got %s",
         unit, describe(v))
  end
  return price, per
end

-- One constructor for any plugin's machine: device { plugin = "NAME", sku = ..., count = N, per_node = M },
-- device { plugin = "NAME", instance = ..., nodes = N } or, where the plugin's catalog lists slices,
-- device { plugin = "NAME", slice = ..., slices = k }.  gpu{}, tpu{} and cpu{} below are thin aliases of it: the
-- only place in core that names a plugin (tools/check-plugin-names.sh).
local DEVICE_KEYS = {"plugin", "sku", "count", "per_node", "instance", "nodes", "slice", "slices", "network", "pricing",
                     "price", "define"}

local function device_from_slice(t, plugin)
  if type(t.slice) ~= "string" then fail("slice: expected a slice name such as \"v3-128\", got %s", describe(t.slice)) end
  for _, k in ipairs({"sku", "count", "per_node", "instance", "nodes"}) do
    if t[k] ~= nil then fail("%s: not with slice (a slice fixes its chips and hosts)", k) end
  end
  local s, err = ts.slice(t.slice, plugin)
  if not s then fail("%s", err) end
  -- Several slices joined over the data-centre network (multislice): chips and hosts multiply, collectives
  -- run over ICI within a slice and over the hosts' NICs between slices (docs/model.md, "TPU slices").
  local n = t.slices and count(t.slices, "slices") or 1
  if n > 1 then
    if math.type(s.devices * n) ~= "integer" or s.devices * n > MAX_COUNT then
      fail("slices: %d slices of %s are more chips than trainsim counts", n, t.slice)
    end
    s.devices, s.nodes, s.cores = s.devices * n, s.nodes * n, s.cores * n
  end
  s.slices = n
  if t.network ~= nil then
    s.network = quantity(t.network, "rate", "network") -- per host, over the data-centre network
    if not (s.network > 0) then fail("network: expected a positive rate per host, got %s", describe(t.network)) end
  elseif n > 1 and not (s.dcn > 0) then
    fail("slices: %s has no data-centre network bandwidth in the catalog (none published); give network = "
         .. "\"... Gbit/s\" (per host) to join %d slices", s.sku, n)
  end
  s.dcn = nil
  s.pricing = pricing_of(t.pricing, PRICINGS, "pricing")
  if t.price ~= nil then s.price, s.price_per = machine_price(t.price, "chip-hour") end
  return tagged("accelerator", s)
end

local function device_from_instance(t, plugin)
  if type(t.instance) ~= "string" then fail("instance: expected a name such as \"p3.16xlarge\", got %s", describe(t.instance)) end
  for _, k in ipairs({"sku", "count", "per_node", "slices"}) do
    if t[k] ~= nil then fail("%s: not with instance (an instance fixes its devices; give nodes = N)", k) end
  end
  local g, err = ts.instance(t.instance)
  if not g then fail("%s", err) end
  if not t.__alias and g.plugin ~= plugin then
    fail("instance: %s is a machine of plugin %s, not %s", t.instance, describe(g.plugin), describe(plugin))
  end
  g.nodes = t.nodes and count(t.nodes, "nodes") or 1
  g.devices = g.per_node * g.nodes
  return g
end

local function device_from_sku(t, plugin)
  if type(t.sku) ~= "string" then
    fail("sku: expected a SKU of plugin %s (see `trainsim devices %s`), got %s", plugin, plugin, describe(t.sku))
  end
  if t.slices ~= nil then fail("slices: only with slice") end
  local g, err = ts.device(plugin, t.sku)
  if not g then fail("%s", err) end
  g.devices = count(t.count or 1, "count")
  g.per_node = t.per_node and count(t.per_node, "per_node") or min(g.devices, 8)
  g.nodes = (g.devices + g.per_node - 1) // g.per_node
  return g
end

-- A device no catalog has, declared in the scenario (docs/scenario-api.md, "Devices the catalog lacks"): the
-- catalog's own field names, the peaks by precision in one table.  The host checks every value again
-- (scenario/define.c) and labels the device uncalibrated (its constants inherited: docs/model.md).
local DEFINE_KEYS = {"name", "generation", "peak", "memory", "memory_bandwidth", "runtime_reserved", "link_bandwidth",
                     "links", "link_latency", "network_latency", "tdp", "matmul_tile", "cores"}
local PRECISION_NAMES = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"}

-- Device memory is built in powers of two and vendors' "GB" mean GiB (docs/devices.md): as in the catalogs, a
-- decimal unit is refused rather than read as 7 % less memory.
local function device_memory(v, what)
  local x = positive_quantity(v, "bytes", what)
  if type(v) == "string" and not match(v, "^%s*[%d%.eE+-]+%s*[KMGTP]iB%s*$") and not match(v, "^%s*[%d%.eE+-]+%s*B?%s*$") then
    fail("%s: device memory is binary (vendors' \"GB\" of HBM mean GiB: an H100 \"80GB\" is 80 GiB); write it in "
         .. "KiB, MiB, GiB or TiB, got %s", what, describe(v))
  end
  return x
end

local function device_from_define(t, plugin)
  local d = t.define
  if type(d) ~= "table" then
    fail("define: expected a table such as {name = \"V100-SXM3-32GB\", peak = {fp16 = \"125 TFLOP/s\"}, memory = "
         .. "\"32 GiB\", memory_bandwidth = \"900 GB/s\"}, got %s", describe(d))
  end
  check_keys(d, DEFINE_KEYS, "define")
  for _, k in ipairs({"sku", "instance", "slice", "slices"}) do
    if t[k] ~= nil then fail("%s: not with define (a defined device is counted with count = N, per_node = M)", k) end
  end
  if type(d.name) ~= "string" or d.name == "" then
    fail("define.name: expected the device's name such as \"V100-SXM3-32GB\", got %s", describe(d.name))
  end
  local known, err = ts.device(plugin, d.name)
  if known then fail("define.name: \"%s\" is in plugin %s's catalog; use sku = \"%s\"", d.name, plugin, d.name) end
  if match(err, "^no plugin named") then fail("%s", err) end
  if d.generation ~= nil and (type(d.generation) ~= "string" or d.generation == "") then
    fail("define.generation: expected a generation calibration.json knows, such as \"Volta\", got %s", describe(d.generation))
  end
  if d.generation ~= nil then
    local ok, gerr = ts.generation(d.generation)
    if not ok then fail("define.generation: %s", gerr) end
  end
  local out = {name = d.name, generation = d.generation}
  if type(d.peak) ~= "table" then
    fail("define.peak: expected the dense peak by precision, e.g. {bf16 = \"312 TFLOP/s\", fp32 = \"19.5 TFLOP/s\"}, "
         .. "got %s", describe(d.peak))
  end
  check_keys(d.peak, PRECISION_NAMES, "define.peak")
  if next(d.peak) == nil then fail("define.peak: expected at least one precision's peak, e.g. bf16 = \"312 TFLOP/s\"") end
  for _, p in ipairs(PRECISION_NAMES) do
    if d.peak[p] ~= nil then out["peak_" .. p] = positive_quantity(d.peak[p], "flops", "define.peak." .. p) end
  end
  if d.memory == nil then fail("define.memory: expected the device memory such as \"32 GiB\"") end
  out.memory = device_memory(d.memory, "define.memory")
  if d.memory_bandwidth == nil then fail("define.memory_bandwidth: expected a rate such as \"900 GB/s\"") end
  out.memory_bandwidth = positive_quantity(d.memory_bandwidth, "rate", "define.memory_bandwidth")
  if d.runtime_reserved ~= nil then
    out.runtime_reserved = device_memory(d.runtime_reserved, "define.runtime_reserved")
    if not (out.runtime_reserved < out.memory) then fail("define.runtime_reserved: expected less than define.memory") end
  end
  if d.link_bandwidth ~= nil then
    out.link_bandwidth = positive_quantity(d.link_bandwidth, "rate", "define.link_bandwidth") -- per link, per direction
  end
  if d.links ~= nil then out.links = positive_int(d.links, "define.links", 4096) end
  if d.link_latency ~= nil then out.link_latency = duration(d.link_latency, "define.link_latency") end
  if d.network_latency ~= nil then out.network_latency = duration(d.network_latency, "define.network_latency") end
  if d.tdp ~= nil then out.tdp = positive_quantity(d.tdp, "power", "define.tdp") end
  if d.matmul_tile ~= nil then out.matmul_tile = positive_int(d.matmul_tile, "define.matmul_tile", 65536) end
  if d.cores ~= nil then out.cores = count(d.cores, "define.cores") end
  local g = {plugin = plugin, sku = d.name, name = d.name, memory = out.memory, define = out}
  g.devices = count(t.count or 1, "count")
  g.per_node = t.per_node and count(t.per_node, "per_node") or min(g.devices, 8)
  g.nodes = (g.devices + g.per_node - 1) // g.per_node
  return g
end

local function make_device(t)
  local plugin = t.plugin
  if type(plugin) ~= "string" then
    fail("plugin: expected a plugin's name such as \"myaccel\" (see `trainsim plugins`), got %s", describe(plugin))
  end
  local ways = (t.sku ~= nil and 1 or 0) + (t.instance ~= nil and 1 or 0) + (t.slice ~= nil and 1 or 0)
  if ways > 1 then fail("expected one of sku, instance or slice, not several") end
  if t.define ~= nil and ways > 0 then fail("define: not with sku, instance or slice (define is a device no catalog has)") end
  if t.slice ~= nil then return device_from_slice(t, plugin) end
  local g = t.define ~= nil and device_from_define(t, plugin)
            or t.instance ~= nil and device_from_instance(t, plugin) or device_from_sku(t, plugin)
  g.pricing = pricing_of(t.pricing, OWNER_PRICINGS, "pricing")
  if t.price ~= nil then g.price, g.price_per = machine_price(t.price, t.instance and "instance-hour" or "device-hour") end
  if t.network ~= nil then g.network = positive_quantity(t.network, "rate", "network") end -- per node, scale-out
  return tagged("accelerator", g)
end

device = api("device", function(t)
  expect_table(t, "device")
  check_keys(t, DEVICE_KEYS, nil)
  return make_device(t)
end)

-- The aliases: each keeps the keys it always had and renames nothing but its own (cpu's sockets).  As before
-- device{}, they take any plugin's instance by name.
local function alias(plugin, keys, t)
  check_keys(t, keys, nil)
  local d = {plugin = plugin, __alias = true}
  for k, v in next, t do d[k] = v end
  return make_device(d)
end

tpu = api("tpu", function(t)
  expect_table(t, "tpu")
  -- (no "host": it was accepted and ignored; a host's RAM and disks are cluster{ host = ... })
  local keys = {"slice", "slices", "network", "pricing", "price"}
  check_keys(t, keys, nil)
  -- a slice is required here: tpu{} has no sku or instance form
  if type(t.slice) ~= "string" then fail("slice: expected a slice name such as \"v3-128\", got %s", describe(t.slice)) end
  return alias("tpu", keys, t)
end)

gpu = api("gpu", function(t)
  expect_table(t, "gpu")
  return alias("gpu", {"sku", "count", "per_node", "instance", "nodes", "pricing", "price", "network", "define"}, t)
end)

cpu = api("cpu", function(t)
  expect_table(t, "cpu")
  check_keys(t, {"sku", "sockets", "nodes", "instance", "pricing", "price"}, nil)
  local d = {plugin = "cpu", __alias = true, instance = t.instance, sku = t.sku, nodes = t.nodes, pricing = t.pricing, price = t.price}
  if t.instance == nil then
    -- sockets per node, nodes: the same machines as count = sockets x nodes, per_node = sockets
    local per = t.sockets and count(t.sockets, "sockets") or 1
    local n = t.nodes and count(t.nodes, "nodes") or 1
    if per * n > MAX_COUNT then fail("sockets: %d x %d nodes are more than trainsim counts", per, n) end
    d.count, d.per_node, d.nodes = per * n, per, nil
  elseif t.sockets ~= nil then
    fail("sockets: not with instance (an instance fixes its sockets)")
  end
  return make_device(d)
end)

local function make_bucket(t)
  expect_table(t, "bucket")
  check_keys(t, {"read", "write", "capacity", "price", "name"}, nil)
  local price, per = nil, nil
  if t.price ~= nil then
    price, per = quantity(t.price, "price", "price")
    if per ~= "GB-month" then fail("price: storage is priced in USD/GB-month, got %s", describe(t.price)) end
  end
  return tagged("storage", {
    name = t.name or "bucket",
    read = t.read ~= nil and positive_quantity(t.read, "rate", "read") or nil, -- nil: not stated, so training's reads are not bounded by it
    write = positive_quantity(t.write or "1 GB/s", "rate", "write"),
    capacity = opt_quantity(t.capacity, "bytes", "capacity", huge),
    price_gb_month = price,
  })
end
bucket = api("bucket", make_bucket)

-- A shared file system (NFS, Lustre, a cloud file store): a storage like a bucket, named as what it is.
filesystem = api("filesystem", function(t)
  expect_table(t, "filesystem")
  check_keys(t, {"read", "write", "capacity", "price", "name"}, nil)
  local copy = {}
  for k, v in next, t do copy[k] = v end
  copy.name = t.name or "shared file system"
  return make_bucket(copy) -- not the global, which the script may have replaced
end)

internet = api("internet", function(t)
  expect_table(t, "internet")
  check_keys(t, {"bandwidth", "egress_price", "name", "mtbf", "retry"}, nil)
  local egress = nil
  if t.egress_price ~= nil then
    local per
    egress, per = quantity(t.egress_price, "price", "egress_price")
    if per ~= "GB" then fail("egress_price: expected USD/GB, got %s", describe(t.egress_price)) end
  end
  return tagged("link", {
    name = t.name or "internet",
    bandwidth = positive_quantity(t.bandwidth or "1 Gbit/s", "rate", "bandwidth"),
    egress_price = egress,
    mtbf = t.mtbf ~= nil and positive_duration(t.mtbf, "mtbf") or nil, -- connection failures, exponential
    retry = t.retry ~= nil and positive_duration(t.retry, "retry") or 60,
  })
end)

cluster = api("cluster", function(t)
  expect_table(t, "cluster")
  check_keys(t, {"accelerator", "host", "storage", "price", "name", "electricity", "scheduler"}, nil)
  if not is(t.accelerator, "accelerator") then
    fail("accelerator: expected device{...} (or tpu{...}, gpu{...}, cpu{...}), got %s", describe(t.accelerator))
  end
  local host = expect_table(t.host or {}, "host")
  if host.cpus ~= nil then
    fail("host.cpus: say what it counts: host.sockets = N (whole CPUs of the kind host.cpu names) or host.cores = N "
      .. "(cores); to give the input pipeline fewer cores than a machine has, use r:train{input_cores = N}")
  end
  check_keys(host, {"ram", "disk", "disk_read", "disk_write", "sockets", "cores", "cpu"}, "host")
  if host.sockets ~= nil and host.cores ~= nil then fail("host: give sockets or cores, not both") end
  if host.cpu ~= nil and type(host.cpu) ~= "string" then
    fail("host.cpu: expected a CPU SKU (see `trainsim devices cpu`), got %s", describe(host.cpu))
  end
  -- A machine's CPUs come from its catalog record: restating them is fine, contradicting them is refused (fewer
  -- cores for the input pipeline is r:train's input_cores), so nothing is silently overridden.
  local acc0 = t.accelerator
  local acc_cpu, acc_cores, acc_instance = rawget(acc0, "host_cpu"), rawget(acc0, "host_cpus"), rawget(acc0, "instance")
  local cpu_rec
  if host.cpu ~= nil then
    local d, err = ts.host_cpu(host.cpu)
    if not d then fail("host.cpu: %s", err) end
    if acc_cpu ~= nil and d.sku ~= acc_cpu then
      fail("host.cpu = %q contradicts %s, whose host CPU is %s in the catalog; leave host.cpu out", host.cpu,
        acc_instance, acc_cpu)
    end
    cpu_rec = d
  elseif acc_cpu ~= nil then
    cpu_rec = ts.host_cpu(acc_cpu)
  end
  local want
  if host.sockets ~= nil then
    local n = count(host.sockets, "host.sockets")
    if not cpu_rec then
      fail("host.sockets = %d needs host.cpu, the kind of CPU they are (see `trainsim devices cpu`), or give host.cores", n)
    end
    if not cpu_rec.cores then fail("host.sockets: the catalog does not give %s's cores per socket; give host.cores", cpu_rec.sku) end
    want = n * cpu_rec.cores
  elseif host.cores ~= nil then
    want = count(host.cores, "host.cores")
  end
  if want and acc_instance and acc_cores and want ~= acc_cores then
    fail("host.%s = %d (%d cores) contradicts %s, which has %d host CPU cores in the catalog; to give the input "
      .. "pipeline fewer, use r:train{input_cores = N}", host.sockets and "sockets" or "cores",
      host.sockets or host.cores, want, acc_instance, acc_cores)
  end
  if t.storage ~= nil and not is(t.storage, "storage") then
    fail("storage: expected bucket{...}, got %s", describe(t.storage))
  end
  local acc = t.accelerator
  if t.price ~= nil then acc.pricing = pricing_of(t.price, OWNER_PRICINGS, "price") end
  if t.electricity ~= nil then
    local e, per = quantity(t.electricity, "price", "electricity")
    if per ~= "kWh" then fail("electricity: expected USD/kWh, got %s", describe(t.electricity)) end
    acc.electricity = e
  end
  return tagged("cluster", {
    name = t.name or "cluster",
    accelerator = acc,
    host = {
      ram = opt_quantity(host.ram, "bytes", "host.ram", acc.host_ram),
      disk = opt_quantity(host.disk, "bytes", "host.disk", acc.host_disk),
      disk_write = opt_quantity(host.disk_write, "rate", "host.disk_write", nil),
      disk_read = opt_quantity(host.disk_read, "rate", "host.disk_read", nil),
      sockets = host.sockets and count(host.sockets, "host.sockets") or nil,
      cores = host.cores and count(host.cores, "host.cores") or nil,
      cpu = host.cpu,
    },
    storage = t.storage,
    -- How job{}s share it (core/resources/scheduler.h); only jobs use it.
    scheduler = one_of(t.scheduler, {"fifo", "priority", "priority-preempt", "fair"}, "scheduler", "fifo"),
  })
end)

---------------------------------------------------------------------------------------------------
-- Datasets (sources: docs/model.md, "Datasets")
---------------------------------------------------------------------------------------------------
local function make_dataset(name, spec, t)
  t = t or {}
  expect_table(t, name)
  check_keys(t, {"from", "samples", "bytes", "extracted", "kind", "tokens", "name", "eval_samples"}, nil)
  if t.from ~= nil and not is(t.from, "link") then fail("from: expected internet{...}, got %s", describe(t.from)) end
  local d = {
    name = t.name or name,
    samples = t.samples and positive_int(t.samples, "samples") or spec.samples,
    bytes = opt_quantity(t.bytes, "bytes", "bytes", spec.bytes),
    extracted = opt_quantity(t.extracted, "bytes", "extracted", spec.extracted),
    kind = one_of(t.kind, {"images", "tokens"}, "kind", spec.kind or "images"),
    tokens = t.tokens or spec.tokens,
    eval_samples = t.eval_samples and positive_int(t.eval_samples, "eval_samples") or spec.eval_samples or 0,
    from = t.from,
  }
  if not d.samples then fail("samples: expected a positive integer (how many training samples)") end
  if not d.bytes then fail("bytes: expected the dataset's size, e.g. \"148 GB\"") end
  d.extracted = d.extracted or d.bytes
  return tagged("dataset", d)
end

datasets = {
  -- ImageNet-1k (ILSVRC-2012) training set: 1,281,167 images; ILSVRC2012_img_train.tar is 147,897,477,120 bytes.
  imagenet_1k = api("imagenet_1k", function(t)
    return make_dataset("imagenet_1k", {samples = 1281167, bytes = 147897477120, eval_samples = 50000}, t)
  end),
  -- ImageNet-21k (fall 2011 release): 14,197,122 images, 21,841 classes; fall11_whole.tar is about 1.31 TB.
  imagenet_21k = api("imagenet_21k", function(t)
    return make_dataset("imagenet_21k", {samples = 14197122, bytes = 1.31e12}, t)
  end),
}
dataset = api("dataset", function(t)
  expect_table(t, "dataset")
  return make_dataset(t.name or "dataset", {}, t)
end)

---------------------------------------------------------------------------------------------------
-- Models (sources: docs/model.md, "Models").  flops = forward FLOPs per sample (2 per multiply-add);
-- activations = bytes kept for the backward pass per sample at 16-bit precision.
---------------------------------------------------------------------------------------------------
local function make_model(spec, t)
  t = t or {}
  expect_table(t, "model")
  check_keys(t, {"name", "params", "flops", "activations", "workload", "layers", "width", "heads", "seq", "vocab",
                 "experts", "active_experts", "active_params", "expert_params", "moe_layers"}, nil) -- api() already says "model: "
  local m = {}
  for k, v in next, spec do m[k] = v end
  for k, v in next, t do m[k] = v end
  m.params = positive(m.params, "params")
  m.flops = positive(quantity(m.flops, "flop", "flops"), "flops")
  m.activations = positive(quantity(m.activations, "bytes", "activations"), "activations")
  m.workload = one_of(m.workload, {"conv", "transformer"}, "workload", "transformer")
  -- The routed experts' share, which expert parallelism shards (models.gpt counts it from the shape).
  if m.expert_params ~= nil then
    m.expert_params = positive(m.expert_params, "expert_params")
    if m.expert_params > m.params then fail("expert_params (%.4g) exceeds params (%.4g)", m.expert_params, m.params) end
  end
  if m.moe_layers ~= nil then
    m.moe_layers = count(m.moe_layers, "moe_layers")
    if m.layers ~= nil and m.moe_layers > m.layers then
      fail("moe_layers (%d) exceeds layers (%s)", m.moe_layers, describe(m.layers))
    end
  end
  return tagged("model", m)
end

models = setmetatable({}, {__index = function(_, k) error("models." .. tostring(k) .. " is not in the model catalog; " ..
  "known: resnet50, vit_b16, bert_large, bert, gpt; or model{params=, flops=, activations=}", 2) end})
-- ResNet-50 v1.5: 25,557,032 parameters (torchvision); 4.1 G multiply-adds forward at 224x224.  Activations:
-- 44.6 MB per image in bf16 (86.6 MB in fp32), the slope of peak memory against batch measured on an H200
-- with PyTorch 2.11 (docs/calibration-gpu.md; bench/gpu/measure.py).
-- Its layer table (core/model/resnet.c) adds up to the same parameters and 4.09 G multiply-adds.
rawset(models, "resnet50", make_model({name = "resnet50", params = 25557032, flops = 8.2e9,
  activations = 44.6e6, workload = "conv", layers = 50, architecture = "resnet50", image = 224, classes = 1000}))
-- ViT-B/16 at 224x224: 86.6 M parameters, 17.6 G multiply-adds forward (Dosovitskiy et al. 2021, Table 6).
-- Shape (Table 1): 12 layers, width 768, 12 heads, MLP 3072, patch 16; 1000 classes (core/model/encoder.c).
rawset(models, "vit_b16", make_model({name = "vit_b16", params = 86.6e6, flops = 35.2e9, activations = 1.5e8 / 2,
  workload = "transformer", layers = 12, width = 768, seq = 197, architecture = "vit", heads = 12, kv_heads = 12,
  ffn = 3072, image = 224, patch = 16, classes = 1000}))
-- BERT-large: 340 M parameters (Devlin et al. 2019); seq 512: 6 x 340 M x 512 / 3 forward FLOPs per sequence.
-- Shape: 24 layers, width 1024, 16 heads, FFN 4096, WordPiece vocabulary 30,522 (core/model/encoder.c).
rawset(models, "bert_large", make_model({name = "bert_large", params = 340e6, flops = 2 * 340e6 * 512,
  activations = 512 * 1024 * 24 * 34, workload = "transformer", layers = 24, width = 1024, seq = 512,
  architecture = "encoder", heads = 16, kv_heads = 16, ffn = 4096, vocab = 30522}))

-- A BERT encoder given by its shape (default BERT-large's, Devlin et al. 2019: 24 layers, width 1024, 16 heads,
-- FFN 4096, WordPiece vocabulary 30,522) at a sequence length of its own (pre-training runs phase 1 at 128).
-- Parameters as BertForPreTraining holds them, with a position table of seq rows (core/model/encoder.c; BERT's
-- own table has 512, which a shorter phase does not read): embeddings (V + seq + 2)·d + 2d, per layer
-- 4(d² + d) + 2·d·ffn + ffn + d + 4d, pooler d² + d, MLM transform d² + d + 2d, output bias V, NSP 2d + 2.
-- Forward FLOPs per token 2·N + 2·L·seq·d (Kaplan et al. 2020 eq. 2.1, as for models.gpt).
models.bert = api("models.bert", function(t)
  expect_table(t, "models.bert")
  check_keys(t, {"name", "layers", "width", "heads", "ffn", "seq", "vocab"}, nil)
  local L = count(t.layers or 24, "layers")
  local d = count(t.width or 1024, "width")
  local heads = count(t.heads or 16, "heads")
  local ffn = count(t.ffn or 4 * d, "ffn")
  local seq = count(t.seq or 512, "seq")
  local vocab = count(t.vocab or 30522, "vocab")
  if d % heads ~= 0 then fail("width (%d) is not a multiple of heads (%d)", d, heads) end
  local Lf, df, ff, V = L + 0.0, d + 0.0, ffn + 0.0, vocab + 0.0
  local layer = 4 * (df * df + df) + 2 * df * ff + ff + df + 4 * df
  local params = (V + seq + 2) * df + 2 * df + Lf * layer + (df * df + df) + (df * df + df + 2 * df) + V + (2 * df + 2)
  return make_model({name = t.name or "bert", params = params, flops = (2 * params + 2 * Lf * seq * df) * seq,
    activations = 34.0 * seq * d * L, workload = "transformer", layers = L, width = d, seq = seq,
    architecture = "encoder", heads = heads, kv_heads = heads, ffn = ffn, vocab = vocab}, {})
end)

-- A GPT/Llama-style decoder given by its shape (docs/model.md, "Models").  Per layer: attention d·d (queries) +
-- 2·d·(kv_heads·d/heads) (keys and values: grouped- or multi-query attention when kv_heads < heads) + d·d
-- (output); feed-forward 2·d·ffn, or 3·d·ffn gated (SwiGLU: gate, up, down), per expert, plus a d·experts
-- router for mixture-of-experts; two norm weight vectors of d.  Plus the embedding V·d (twice when the output
-- head is not tied to it) and a final norm of d.  The defaults (kv_heads = heads, ffn = 4·d, not gated, tied)
-- are GPT's 12·L·d² + V·d (Kaplan et al. 2020, table 1) plus the norms.  Mistral 7B (32 layers, width 4096, 32
-- heads, 8 kv_heads, ffn 14336, gated, vocab 32000, untied) comes to its model card's 7,241,732,096.
-- head_dim (default width / heads) is one head's width where heads x head_dim is not the width (PaLM: 48 heads of
-- 256 at width 18432; MaxText's scaled models): queries and the output are then d·heads·head_dim each, keys and
-- values d·kv_heads·head_dim each.
-- Forward FLOPs per token 2·N_active + 2·L·seq·a (attention scores at a = heads·head_dim, the width unless
-- head_dim is given), Kaplan et al. 2020 eq. 2.1; activations per
-- token per layer seq·d·34 bytes at 16-bit without recomputation (Korthikanti et al. 2022, eq. 1, ignoring the
-- a·s/h term).
-- Mixture of experts as Megatron-Core describes it (megatron/core/transformer/moe/README.md): experts of width
-- expert_ffn (--moe-ffn-hidden-size; default ffn), shared_experts always-active ones of the same width that are
-- replicated like the dense part, and the first dense_layers layers with a dense FFN of width ffn (DeepSeek-V3's
-- first_k_dense_replace).  expert_params counts the routed experts only: they are what expert parallelism shards.
-- Multi-head latent attention (DeepSeek-V2, arXiv 2405.04434, sec. 2.1): kv_lora_rank (the key/value latent),
-- q_lora_rank (the query latent; 0: queries straight from the width), rope_head_dim (the rotary part of each
-- query and of the one shared rotary key), head_dim (each head's key and value width without it): per layer
-- d·q_rank + q_rank + q_rank·heads·(head_dim + rope) + d·(kv_rank + rope) + kv_rank + kv_rank·heads·2·head_dim +
-- heads·head_dim·d; its attention scores run at heads·(head_dim + rope / 2) (Q.K^T at head_dim + rope, P.V at
-- head_dim).
models.gpt = api("models.gpt", function(t)
  expect_table(t, "models.gpt")
  check_keys(t, {"name", "layers", "width", "seq", "vocab", "heads", "kv_heads", "head_dim", "ffn", "gated",
                 "tied_embeddings",
                 "experts", "active_experts", "expert_ffn", "shared_experts", "dense_layers", "params",
                 "active_params", "q_lora_rank", "kv_lora_rank", "rope_head_dim"}, nil)
  local L = count(t.layers, "layers")
  local d = count(t.width, "width")
  local seq = count(t.seq or 2048, "seq")
  local vocab = count(t.vocab or 50257, "vocab")
  local experts = t.experts and count(t.experts, "experts") or 1
  local active_experts = t.active_experts and count(t.active_experts, "active_experts") or 1
  if active_experts > experts then fail("active_experts (%d) exceeds experts (%d)", active_experts, experts) end
  local heads = t.heads and count(t.heads, "heads") or nil
  local kv_heads = t.kv_heads and count(t.kv_heads, "kv_heads") or heads
  if t.kv_heads ~= nil and heads == nil then fail("kv_heads needs heads (the number of query heads)") end
  local head_dim = t.head_dim and count(t.head_dim, "head_dim") or nil
  if head_dim ~= nil and heads == nil then fail("head_dim needs heads (the number of query heads)") end
  if heads ~= nil and head_dim == nil and d % heads ~= 0 then
    fail("width (%d) is not a multiple of heads (%d): give head_dim if the heads are not width / heads wide", d, heads)
  end
  if kv_heads ~= nil and (kv_heads > heads or heads % kv_heads ~= 0) then
    fail("heads (%d) must be a multiple of kv_heads (%d)", heads, kv_heads)
  end
  local ffn = t.ffn and count(t.ffn, "ffn") or 4 * d
  local function count0(v, what) if v == nil or v == 0 then return 0 end return count(v, what) end
  -- Multi-head latent attention (DeepSeek-V2/V3): kv_lora_rank names it.
  local q_rank, kv_rank = count0(t.q_lora_rank, "q_lora_rank"), count0(t.kv_lora_rank, "kv_lora_rank")
  local rope = count0(t.rope_head_dim, "rope_head_dim")
  if (q_rank > 0 or rope > 0) and kv_rank == 0 then
    fail("q_lora_rank and rope_head_dim describe multi-head latent attention: give kv_lora_rank with them")
  end
  if kv_rank > 0 and (head_dim == nil or t.kv_heads ~= nil) then
    fail("multi-head latent attention (kv_lora_rank) needs heads and head_dim (each head's key and value width " ..
         "without the rotary part) and no kv_heads (every head has its own key and value)")
  end
  local shared, dense_layers = count0(t.shared_experts, "shared_experts"), count0(t.dense_layers, "dense_layers")
  if experts == 1 and (t.expert_ffn ~= nil or shared > 0 or dense_layers > 0) then
    fail("expert_ffn, shared_experts and dense_layers describe a mixture of experts: give experts (> 1) with them")
  end
  if dense_layers >= L and experts > 1 then
    fail("dense_layers (%d) leaves none of the %d layers with experts", dense_layers, L)
  end
  local expert_ffn = t.expert_ffn and count(t.expert_ffn, "expert_ffn") or ffn
  if t.gated ~= nil and type(t.gated) ~= "boolean" then fail("gated: expected true or false, got %s", describe(t.gated)) end
  if t.tied_embeddings ~= nil and type(t.tied_embeddings) ~= "boolean" then
    fail("tied_embeddings: expected true or false, got %s", describe(t.tied_embeddings))
  end
  -- In floating point: with integers, large shapes would wrap around (to 0 or a negative count).
  local Lf, df, ff = L + 0.0, d + 0.0, ffn + 0.0
  local hd = heads and (head_dim and head_dim + 0.0 or df / heads) -- one head's width
  local q_width = heads and heads * hd or df                         -- queries, and the output's input
  local kv_width = heads and kv_heads * hd or df
  local attention = 2 * df * q_width + 2 * df * kv_width
  local score_width = q_width -- attention scores per token: Q.K^T and P.V over this width, on average
  if kv_rank > 0 then
    -- Queries (through their latent, normed, when q_lora_rank > 0) of head_dim + rope per head; the key/value
    -- latent plus one shared rotary key, normed, up to keys and values of head_dim per head; the output.
    local qk = hd + rope
    local q = q_rank > 0 and (df * q_rank + q_rank + q_rank * heads * qk) or df * heads * qk
    attention = q + df * (kv_rank + rope) + kv_rank + kv_rank * heads * 2 * hd + heads * hd * df
    score_width = heads * (hd + rope / 2)
  end
  local mlp = (t.gated and 3 or 2) * df * ff
  local expert_mlp = (t.gated and 3 or 2) * df * expert_ffn
  local router = experts > 1 and df * experts or 0
  local embeddings = vocab * df * (t.tied_embeddings == false and 2 or 1) + df
  local Mf, Df = (L - dense_layers) + 0.0, dense_layers + 0.0 -- MoE layers, dense layers
  local dense_part = Df * (attention + mlp + 2 * df) + embeddings
  local params, active, expert_params
  if experts > 1 then
    expert_params = Mf * experts * expert_mlp
    params = Mf * (attention + (experts + shared) * expert_mlp + router + 2 * df) + dense_part
    active = Mf * (attention + (active_experts + shared) * expert_mlp + router + 2 * df) + dense_part
  else
    params = Lf * (attention + mlp + 2 * df) + embeddings
    active = params
  end
  if t.params ~= nil then
    params = positive(t.params, "params")
    if expert_params ~= nil and expert_params > params then
      fail("params (%.4g) is less than the %.4g parameters of the experts by the shape", params, expert_params)
    end
  end
  active = t.active_params or (t.params ~= nil and experts == 1 and params) or active
  local per_token = 2 * active + 2 * Lf * seq * score_width
  -- The shape goes along for the operator-level model (core/model/decoder.c), which needs the heads.
  return make_model({name = t.name or "gpt", params = params, active_params = active, flops = per_token * seq,
    activations = 34.0 * seq * d * L, workload = "transformer", layers = L, width = d, heads = heads, seq = seq,
    vocab = vocab, experts = experts > 1 and experts or nil, active_experts = active_experts,
    architecture = heads and "decoder" or nil, kv_heads = kv_heads, head_dim = head_dim, ffn = ffn,
    gated = t.gated == true, tied = t.tied_embeddings ~= false,
    expert_ffn = experts > 1 and expert_ffn or nil, shared_experts = shared > 0 and shared or nil,
    q_lora_rank = q_rank > 0 and q_rank or nil, kv_lora_rank = kv_rank > 0 and kv_rank or nil,
    rope_head_dim = rope > 0 and rope or nil,
    expert_params = expert_params, moe_layers = experts > 1 and (L - dense_layers) or nil}, {})
end)

model = api("model", function(t) return make_model({}, t) end)

---------------------------------------------------------------------------------------------------
-- The run: a function executed as a simulation process.  Each r:... call waits in simulated time.
---------------------------------------------------------------------------------------------------
local the_run = nil
-- Every action is yielded behind this token, which only the prelude holds: the host ignores a table that
-- the script yields itself (coroutine.yield{op = "train", batch = 0}), since that skipped validation.
local ACTION = {}
local runner = {}
runner.__index = runner

local jobs = {}      -- job coroutine -> true: each job{}'s run function is a simulation process of its own
local job_names = {}
local function action(op, t, where)
  local co, main = running()
  if main or (co ~= the_run and not jobs[co]) then
    error("r:" .. op .. " must be called from the run function itself, not from a nested coroutine", 3)
  end
  t.op = op
  t.where = where
  return yield(ACTION, t)
end

local function validated(op, fn)
  return function(self, ...)
    if getmetatable(self) ~= runner then error("r:" .. op .. ": call it as r:" .. op .. "(...)", 2) end
    local where = ts.where(2) -- level 1 is this wrapper, level 2 the scenario line calling r:op
    local ok, t = pcall(fn, ...)
    if not ok then error("r:" .. op .. ": " .. tostring(t), 2) end
    local result = action(op, t, where)
    return result
  end
end

runner.download = validated("download", function(ds, opts)
  if not is(ds, "dataset") then fail("expected a dataset, got %s", describe(ds)) end
  opts = opts or {}
  expect_table(opts, "options")
  check_keys(opts, {"to", "extract", "background", "resumable"}, "options")
  if opts.to ~= nil and not is(opts.to, "storage") and opts.to ~= "disk" then
    fail("to: expected a bucket{...} or \"disk\", got %s", describe(opts.to))
  end
  return {dataset = ds, to = opts.to or "disk", extract = opts.extract ~= false, background = opts.background == true,
          resumable = opts.resumable ~= false}
end)

-- The cheap actions, which a script may take millions of times, name op and where (set by action()) in their
-- constructors: the table is made at its final size once instead of growing twice.
runner.join = validated("join", function() return {op = false, where = false} end)

runner.provision = validated("provision", function(x, opts)
  if not is(x, "accelerator") then fail("expected an accelerator (pod.accelerator, or a device/gpu/tpu/cpu{...}), got %s", describe(x)) end
  opts = expect_table(opts or {}, "options")
  check_keys(opts, {"startup"}, "options")
  return {target = x, startup = duration(opts.startup, "startup", 0), op = false, where = false}
end)

runner.release = validated("release", function(x)
  if not is(x, "accelerator") then fail("expected the accelerator of a cluster, got %s", describe(x)) end
  return {target = x, op = false, where = false}
end)

runner.wait = validated("wait", function(d)
  return {duration = duration(d, "duration"), op = false, where = false}
end)

local OPTIMIZERS = {"sgd", "momentum", "adam", "adamw", "lars", "lamb"}
local PRECISIONS = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"}
-- The software stack (docs/model.md, "The software stack"); without one, a run is "eager" (core/run/stack.h).
local STACKS = {"eager", "compiled", "tuned"}
local function stack_of(v)
  if v == nil then return nil end
  return one_of(v, STACKS, "stack", "eager")
end

local function every(v, what)
  if type(v) ~= "string" then fail("%s: expected \"N epochs\", \"N steps\" or a duration, got %s", what, describe(v)) end
  local n, unit = match(v, "^%s*([%d%.eE+]+)%s*(%a+)%s*$")
  n = tonumber(n)
  if n and (unit == "epoch" or unit == "epochs") then return {epochs = positive(n, what)} end
  if n and (unit == "step" or unit == "steps") then return {steps = positive_int(n, what)} end
  return {seconds = positive_duration(v, what)}
end

runner.train = validated("train", function(t)
  expect_table(t, "train")
  check_keys(t, {"model", "data", "batch", "micro_batch", "epochs", "steps", "tokens", "precision", "optimizer",
                 "views", "input_cores", "load", "parallel", "checkpoint", "failures", "eval", "stack", "packing",
                 "padding", "stragglers"}, nil)
  if not is(t.model, "model") then fail("model: expected models.<name> or model{...}, got %s", describe(t.model)) end
  if not is(t.data, "dataset") then fail("data: expected a dataset, got %s", describe(t.data)) end
  -- A batch ramp: batch = { {upto = "N tokens" | "N samples", size = B}, ..., {size = B_final} } (`until` is a
  -- Lua keyword, so the end is `upto`, or ["until"]).  Each
  -- segment's size holds until that many useful samples (or tokens) have been trained in all; the last to the
  -- end.  Passed on as ramp = { {size, until_samples}, ... }, with batch = the largest size (memory).
  local ramp, batch = nil, nil
  if type(t.batch) == "table" then
    local n = #t.batch
    if n < 2 or n > 16 then fail("batch: a ramp is a list of 2 to 16 segments {upto = ..., size = B}, got %d", n) end
    check_keys(t.batch, (function() local k = {} for i = 1, n do k[i] = i end return k end)(), "batch")
    ramp, batch = {}, 0
    local seq = rawget(t.model, "seq")
    local last_until = 0
    for i = 1, n do
      local seg = expect_table(t.batch[i], format("batch[%d]", i))
      check_keys(seg, {"upto", "until", "size"}, format("batch[%d]", i))
      if seg.upto ~= nil and seg["until"] ~= nil then fail("batch[%d]: give upto or [\"until\"], not both", i) end
      local upto = seg.upto ~= nil and seg.upto or seg["until"]
      local size = positive_int(seg.size, format("batch[%d].size", i))
      if size > batch then batch = size end
      local u = nil
      if i < n then
        local what = format("batch[%d].upto", i)
        if type(upto) ~= "string" then fail("%s: expected \"N tokens\" or \"N samples\", got %s", what, describe(upto)) end
        local v, unit = match(upto, "^%s*([%d%.eE+]+)%s*(%a+)%s*$")
        v = tonumber(v)
        if not v or not (v > 0) or v == huge then fail("%s: expected \"N tokens\" or \"N samples\", got %s", what, describe(upto)) end
        if unit == "tokens" or unit == "token" then
          if not (type(seq) == "number" and seq > 0) then fail("%s: tokens need a model with a sequence length (seq)", what) end
          u = v / seq
        elseif unit == "samples" or unit == "sample" or unit == "sequences" then
          u = v + 0.0
        else
          fail("%s: expected \"N tokens\" or \"N samples\", got %s", what, describe(upto))
        end
        if not (u > last_until) then fail("%s: each segment must end after the one before it", what) end
        last_until = u
      elseif upto ~= nil then
        fail("batch[%d].upto: the last segment runs to the end of the training; leave upto out", i)
      end
      ramp[i] = {size = size, until_samples = u}
    end
    if t.steps ~= nil then fail("batch: a ramp needs the run's length in tokens or epochs, not steps") end
  else
    batch = positive_int(t.batch, "batch")
  end
  local r = {
    model = t.model, data = t.data, ramp = ramp,
    batch = batch,
    micro_batch = t.micro_batch and positive_int(t.micro_batch, "micro_batch") or nil,
    precision = one_of(t.precision, PRECISIONS, "precision", "fp32"),
    optimizer = one_of(t.optimizer, OPTIMIZERS, "optimizer", "sgd"),
    stack = stack_of(t.stack),
    views = t.views and count(t.views, "views") or 1,
    input_cores = t.input_cores and positive(t.input_cores, "input_cores") or nil,
    load_all = one_of(t.load, {"stream", "all"}, "load", "stream") == "all",
  }
  local n = (t.epochs ~= nil and 1 or 0) + (t.steps ~= nil and 1 or 0) + (t.tokens ~= nil and 1 or 0)
  if n > 1 then fail("give epochs or steps or tokens, not more than one") end
  if t.epochs ~= nil then r.epochs = positive(t.epochs, "epochs")
  elseif t.steps ~= nil then r.steps = positive_int(t.steps, "steps")
  elseif t.tokens ~= nil then r.tokens = positive(t.tokens, "tokens")
  else fail("expected epochs, steps or tokens") end
  -- Sequences packed without padding (the default), or a stated fraction of each sequence that is padding:
  -- the devices process the padded tokens too, so the same useful data takes 1/(1-p) as many steps.
  if t.packing ~= nil and type(t.packing) ~= "boolean" then
    fail("packing: expected true or false, got %s", describe(t.packing))
  end
  if t.packing ~= nil and t.padding ~= nil then fail("give packing = true or padding = p, not both") end
  if t.packing == false then
    fail("packing = false: say how much of each sequence is padding, padding = 0.2 (a fraction from 0 to below 1)")
  end
  if t.padding ~= nil then
    local p = t.padding
    if type(p) ~= "number" or p ~= p or p < 0 or p >= 1 then
      fail("padding: expected the fraction of each sequence that is padding, from 0 to below 1, got %s", describe(p))
    end
    if rawget(t.data, "kind") ~= "tokens" then
      fail("padding: only for a dataset of token sequences (kind = \"tokens\"), not %s", describe(rawget(t.data, "name")))
    end
    r.padding = p + 0.0
  end
  if t.parallel ~= nil then
    local p = expect_table(t.parallel, "parallel")
    check_keys(p, {"tensor", "pipeline", "virtual", "context", "expert", "zero", "shard_group", "recompute",
                   "grad_precision", "sequence_parallel", "tp_overlap"}, "parallel")
    r.tp = p.tensor and count(p.tensor, "parallel.tensor") or 1
    -- Expert parallelism: each of `expert` ranks holds experts/expert of every MoE layer (1: all of them).
    r.ep = p.expert and count(p.expert, "parallel.expert") or 1
    r.pp = p.pipeline and count(p.pipeline, "parallel.pipeline") or 1
    r.vp = p.virtual and count(p.virtual, "parallel.virtual") or 1 -- interleaved stages per device
    r.cp = p.context and count(p.context, "parallel.context") or 1
    r.zero = p.zero or 0
    if r.zero ~= 0 and r.zero ~= 1 and r.zero ~= 2 and r.zero ~= 3 then fail("parallel.zero: expected 0, 1, 2 or 3, got %s", describe(p.zero)) end
    -- Hybrid sharding (HSDP, MiCS; MaxText's ici_fsdp x dcn_data): ZeRO shards within groups of
    -- shard_group data-parallel ranks and replicates across the groups.
    if p.shard_group ~= nil then
      r.shard_group = count(p.shard_group, "parallel.shard_group")
      if r.zero == 0 then fail("parallel.shard_group: shards ZeRO state; give zero = 1, 2 or 3 with it") end
    end
    -- The precision gradients are reduced (and kept) in: "bf16" halves an fp32 run's gradient traffic.
    r.grad_precision = one_of(p.grad_precision, {"fp32", "bf16", "fp16", "fp8"}, "parallel.grad_precision", nil)
    if p.recompute ~= nil and p.recompute ~= true and p.recompute ~= false and p.recompute ~= "auto" then
      fail("parallel.recompute: expected true, false or \"auto\", got %s", describe(p.recompute))
    end
    r.recompute = p.recompute == true
    -- Sequence parallelism (Korthikanti et al. 2022): the norms' and dropouts' activations split over the tensor
    -- ranks too; tp_overlap: the fraction of the tensor-parallel traffic hidden under the layer's compute.
    if p.sequence_parallel ~= nil and type(p.sequence_parallel) ~= "boolean" then
      fail("parallel.sequence_parallel: expected true or false, got %s", describe(p.sequence_parallel))
    end
    r.sequence_parallel = p.sequence_parallel == true
    if p.tp_overlap ~= nil then
      local f = p.tp_overlap
      if type(f) ~= "number" or f ~= f or f < 0 or f > 1 then
        fail("parallel.tp_overlap: expected the fraction of tensor-parallel communication hidden under compute, "
             .. "a number from 0 to 1, got %s", describe(f))
      end
      r.tp_overlap = f + 0.0
    end
    r.recompute_auto = p.recompute == "auto"
  end
  if t.checkpoint ~= nil then
    local c = expect_table(t.checkpoint, "checkpoint")
    check_keys(c, {"every", "keep", "keep_every", "async", "final"}, "checkpoint")
    local e = every(c.every, "checkpoint.every")
    r.checkpoint = true
    r.ckpt_every_epochs, r.ckpt_every_steps, r.ckpt_every_s = e.epochs, e.steps, e.seconds
    r.keep_last = c.keep and count(c.keep, "checkpoint.keep") or 0
    r.keep_every = c.keep_every and count(c.keep_every, "checkpoint.keep_every") or 0
    r.ckpt_async = c.async == true
    r.ckpt_final = c.final ~= false
  end
  if t.failures ~= nil then
    local f = expect_table(t.failures, "failures")
    check_keys(f, {"mtbf", "preemption", "restart"}, "failures")
    r.device_mtbf = f.mtbf ~= nil and positive_duration(f.mtbf, "failures.mtbf") or nil
    r.preempt_mtbf = f.preemption ~= nil and positive_duration(f.preemption, "failures.preemption") or nil
    r.restart = duration(f.restart, "failures.restart", 0)
  end
  if t.eval ~= nil then
    local e = expect_table(t.eval, "eval")
    check_keys(e, {"every", "samples"}, "eval")
    local ev = every(e.every, "eval.every")
    r.eval_every_epochs, r.eval_every_steps, r.eval_every_s = ev.epochs, ev.steps, ev.seconds
    -- samples evaluated per pass (forward only); without it, the dataset's eval_samples
    r.eval_samples = e.samples ~= nil and positive_int(e.samples, "eval.samples") or nil
  end
  if t.stragglers ~= nil then
    -- The synchronous step waits for the slowest node (docs/model.md, "Stragglers"): slow_nodes of the nodes (or
    -- slow_fraction of them) do their device work slowdown times as slowly; jitter is the log-sd of a lognormal
    -- factor (mean 1) every node draws each step.
    local g = expect_table(t.stragglers, "stragglers")
    check_keys(g, {"slow_nodes", "slow_fraction", "slowdown", "jitter"}, "stragglers")
    if g.slow_nodes ~= nil and g.slow_fraction ~= nil then fail("stragglers: give slow_nodes or slow_fraction, not both") end
    if g.slow_nodes ~= nil then
      if mtype(g.slow_nodes) ~= "integer" and not (type(g.slow_nodes) == "number" and g.slow_nodes == floor(g.slow_nodes)) then
        fail("stragglers.slow_nodes: expected a whole number of nodes, got %s", describe(g.slow_nodes))
      end
      if g.slow_nodes < 1 or g.slow_nodes > MAX_COUNT then
        fail("stragglers.slow_nodes: expected a positive number of nodes, got %s", describe(g.slow_nodes))
      end
      r.slow_nodes = floor(g.slow_nodes)
    end
    if g.slow_fraction ~= nil then
      local f = g.slow_fraction
      if type(f) ~= "number" or f ~= f or f <= 0 or f > 1 then
        fail("stragglers.slow_fraction: expected the fraction of the nodes that are slow, above 0 and at most 1, got %s",
             describe(f))
      end
      r.slow_fraction = f + 0.0
    end
    local slow = g.slow_nodes ~= nil or g.slow_fraction ~= nil
    if slow and g.slowdown == nil then
      fail("stragglers.slowdown: expected how many times as long the slow nodes take, e.g. 1.3")
    end
    if g.slowdown ~= nil then
      if not slow then fail("stragglers.slowdown: give slow_nodes or slow_fraction, the nodes it slows") end
      local s = g.slowdown
      if type(s) ~= "number" or s ~= s or s < 1 or s > 100 then
        fail("stragglers.slowdown: expected a factor from 1 to 100 (1.3: 30 %% slower), got %s", describe(s))
      end
      r.slowdown = s + 0.0
    end
    if g.jitter ~= nil then
      local j = g.jitter
      if type(j) ~= "number" or j ~= j or j < 0 or j > 2 then
        fail("stragglers.jitter: expected the standard deviation of the log of a node's step factor, from 0 to 2 "
             .. "(0.05: about 5 %%), got %s", describe(j))
      end
      r.jitter = j + 0.0
    end
    if not slow and g.jitter == nil then fail("stragglers: expected slow_nodes (or slow_fraction) with slowdown, or jitter") end
  end
  return r
end)

runner.infer = validated("infer", function(t)
  expect_table(t, "infer")
  check_keys(t, {"model", "batch", "samples", "precision", "stack"}, nil)
  if not is(t.model, "model") then fail("model: expected models.<name> or model{...}, got %s", describe(t.model)) end
  return {model = t.model, batch = t.batch and positive_int(t.batch, "batch") or 1,
          samples = t.samples and positive_int(t.samples, "samples") or 1,
          precision = one_of(t.precision, PRECISIONS, "precision", "fp32"), stack = stack_of(t.stack)}
end)

run = api("run", function(c, fn)
  if not is(c, "cluster") then fail("expected a cluster{...} first, got %s", describe(c)) end
  if type(fn) ~= "function" then fail("expected the run function second, got %s", describe(fn)) end
  if the_run ~= nil then fail("a scenario has one run(); it was already called") end
  if next(jobs) ~= nil then fail("a scenario has one run() or several job{}s on a cluster, not both") end
  the_run = create(function() return fn(setmetatable({cluster = c}, runner)) end)
  ts.set_run(c, the_run, ACTION)
end)

-- Several jobs on one cluster (docs/scenario-api.md, "Several jobs on one cluster"): each its own run function,
-- placed by the cluster's scheduler on `devices` of its accelerators, all at once.
job = api("job", function(t)
  expect_table(t, "job")
  check_keys(t, {"cluster", "name", "arrival", "priority", "devices", "group", "restart", "run"}, nil)
  if the_run ~= nil then fail("a scenario has one run() or several job{}s on a cluster, not both") end
  if not is(t.cluster, "cluster") then fail("cluster: expected a cluster{...}, got %s", describe(t.cluster)) end
  if type(t.name) ~= "string" or #t.name == 0 or #t.name > 64 then
    fail("name: expected a name of 1 to 64 characters, got %s", describe(t.name))
  end
  if job_names[t.name] then fail("name: a job named %q already exists", t.name) end
  if type(t.run) ~= "function" then fail("run: expected the job's run function, function(r) ... end, got %s", describe(t.run)) end
  local priority = t.priority or 0
  if mtype(priority) ~= "integer" or priority < -1000000 or priority > 1000000 then
    fail("priority: expected an integer from -1000000 to 1000000 (higher goes first), got %s", describe(t.priority))
  end
  if t.group ~= nil and (type(t.group) ~= "string" or #t.group == 0 or #t.group > 64) then
    fail("group: expected a name of 1 to 64 characters (fair share is between groups), got %s", describe(t.group))
  end
  local total = rawget(rawget(t.cluster, "accelerator"), "devices")
  local devices = count(t.devices, "devices")
  if total and devices > total then
    fail("devices: the job asks for %d devices; the cluster has %d", devices, total)
  end
  local fn, c = t.run, t.cluster
  local co = create(function() return fn(setmetatable({cluster = c}, runner)) end)
  jobs[co] = true
  job_names[t.name] = true
  ts.add_job(c, co, ACTION, {name = t.name, arrival = duration(t.arrival, "arrival", 0), priority = priority,
                             devices = devices, group = t.group, restart = duration(t.restart, "restart", 0),
                             where = ts.where(4)})
end)
