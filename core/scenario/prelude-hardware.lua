-- The scenario prelude, part 2 of 4: hardware (device{} and its aliases, clusters, storage).  The four
-- prelude-*.lua files are one Lua chunk, concatenated in order by embed.py (core/meson.build), so the locals of
-- the earlier parts (api, fail, check_keys, quantity, ...) are in scope here.
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
                     "price", "define", "owned"}

-- Owned hardware's terms (docs/scenario-api.md, "Owning and committing"): the up-front price per machine, the
-- service life, the fraction of it the machine does work like this, a financing rate, and a rented alternative to
-- break even against.  Every one is checked again in C (bindings-tables.c).
local OWNED_KEYS = {"price", "life", "utilisation", "financing", "against"}
local function fraction(v, what, example)
  if type(v) ~= "number" or v ~= v then
    fail("%s: expected a fraction such as %s, got %s", what, example, describe(v))
  end
  return v
end
local function owned_terms(g, o)
  expect_table(o, "owned")
  check_keys(o, OWNED_KEYS, "owned")
  if g.pricing ~= "owned" then
    fail("owned: terms of ownership need pricing = \"owned\", got pricing = %s", describe(g.pricing))
  end
  if g.price ~= nil then
    fail("owned: not with price (a price per hour is rented; give the purchase as owned.price = \"... USD\")")
  end
  if o.price ~= nil then
    local p = quantity(o.price, "usd", "owned.price")
    if not (p > 0) or p == huge then
      fail("owned.price: expected the up-front price of one machine, such as \"69000 USD\", got %s", describe(o.price))
    end
    g.owned_price = p
  end
  if o.life ~= nil then
    -- with its unit: a bare number would be seconds
    local l = type(o.life) == "string" and quantity(o.life, "time", "owned.life") or -1
    if not (l > 0) or l > 100 * 31557600 then
      fail("owned.life: expected a service life above zero and at most 100 years, such as \"4 years\", got %s",
           describe(o.life))
    end
    g.owned_life = l
  end
  if o.utilisation ~= nil then
    local u = fraction(o.utilisation, "owned.utilisation", "0.25 (busy a quarter of its life)")
    if not (u > 0 and u <= 1) then
      fail("owned.utilisation: expected the fraction of its service life the machine is busy, above 0 and at most 1, "
           .. "got %s", describe(o.utilisation))
    end
    g.utilisation = u
  end
  if o.financing ~= nil then
    local r = fraction(o.financing, "owned.financing", "0.06 (6 %% a year)")
    if not (r >= 0 and r <= 1) then
      fail("owned.financing: expected the interest rate per year as a fraction from 0 to 1 (0.06 is 6 %% a year), "
           .. "got %s", describe(o.financing))
    end
    g.financing = r
  end
  if o.against ~= nil then
    local a = o.against
    if not is(a, "accelerator") then
      fail("owned.against: expected the rented alternative as device{...} (or gpu{...}, tpu{...}, cpu{...}), got %s",
           describe(a))
    end
    if rawget(a, "pricing") == "owned" then
      fail("owned.against: the alternative to owning is rented: give it pricing = \"on-demand\", \"spot\", "
           .. "\"committed-1y\" or \"committed-3y\"")
    end
    a.__id = g.__id -- it stands in for the owned machine: r:provision(cluster.accelerator) names either
    g.against = a
  end
end

local function device_from_slice(t, plugin)
  if type(t.slice) ~= "string" then fail("slice: expected a slice name such as \"v3-128\", got %s", describe(t.slice)) end
  for _, k in ipairs({"sku", "count", "per_node", "instance", "nodes"}) do
    if t[k] ~= nil then fail("%s: not with slice (a slice fixes its chips and hosts)", k) end
  end
  if t.owned ~= nil then fail("owned: not with slice (a Cloud TPU slice is rented, not sold)") end
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
                     "links", "link_latency", "network_latency", "tdp", "matmul_tile", "matmul_units",
                     "cores"}
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
  if d.matmul_units ~= nil then out.matmul_units = positive_int(d.matmul_units, "define.matmul_units", 65536) end
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
  if t.owned ~= nil and t.pricing == nil then g.pricing = "owned" end -- the terms say it
  if t.price ~= nil then g.price, g.price_per = machine_price(t.price, t.instance and "instance-hour" or "device-hour") end
  if t.network ~= nil then g.network = positive_quantity(t.network, "rate", "network") end -- per node, scale-out
  g = tagged("accelerator", g)
  if t.owned ~= nil then owned_terms(g, t.owned) end
  return g
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
  return alias("gpu", {"sku", "count", "per_node", "instance", "nodes", "pricing", "price", "network", "define", "owned"}, t)
end)

cpu = api("cpu", function(t)
  expect_table(t, "cpu")
  check_keys(t, {"sku", "sockets", "nodes", "instance", "pricing", "price", "owned"}, nil)
  local d = {plugin = "cpu", __alias = true, instance = t.instance, sku = t.sku, nodes = t.nodes, pricing = t.pricing,
             price = t.price, owned = t.owned}
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

-- `bandwidth`: what reads and writes move together when several jobs use the storage at once (core/scenario/jobs.c).
-- An object store states separate read and write limits (Amazon S3: 5,500 GET and 3,500 PUT requests a second per
-- prefix, "Best practices design patterns: optimizing Amazon S3 performance", S3 User Guide), so a bucket's reads
-- and writes are separate unless its bandwidth is given; a file server has one throughput capacity for both (FSx
-- for Lustre: "the speed at which the file server hosting the file system can serve file data", "Managing
-- provisioned throughput capacity", FSx for Lustre User Guide), so a filesystem's reads and writes share the
-- larger of the two unless its bandwidth says otherwise.
local function make_bucket(t, shared)
  expect_table(t, "bucket")
  check_keys(t, {"read", "write", "capacity", "price", "name", "bandwidth"}, nil)
  local price, per = nil, nil
  if t.price ~= nil then
    price, per = quantity(t.price, "price", "price")
    if per ~= "GB-month" then fail("price: storage is priced in USD/GB-month, got %s", describe(t.price)) end
  end
  local read = t.read ~= nil and positive_quantity(t.read, "rate", "read") or nil -- nil: not stated, so training's reads are not bounded by it
  -- Unstated, writes go at 1 GB/s (TS_WRITE_BW_ASSUMED), and a run whose writes it sets says so.
  local write = positive_quantity(t.write or "1 GB/s", "rate", "write")
  local total = t.bandwidth ~= nil and positive_quantity(t.bandwidth, "rate", "bandwidth") or nil
  if total ~= nil and (total < write or (read ~= nil and total < read)) then
    fail("bandwidth: what reads and writes move together cannot be below read or write alone (%s), got %s",
      describe(read ~= nil and read > write and t.read or (t.write or "1 GB/s")), describe(t.bandwidth))
  end
  if total == nil and shared then total = read ~= nil and read > write and read or write end
  return tagged("storage", {
    name = t.name or "bucket",
    read = read,
    write = t.write ~= nil and write or nil,
    bandwidth = total,
    capacity = opt_quantity(t.capacity, "bytes", "capacity", huge),
    price_gb_month = price,
  })
end
bucket = api("bucket", function(t) return make_bucket(t, false) end)

-- A shared file system (NFS, Lustre, a cloud file store): a storage like a bucket, named as what it is, whose reads
-- and writes share one bandwidth.
filesystem = api("filesystem", function(t)
  expect_table(t, "filesystem")
  check_keys(t, {"read", "write", "capacity", "price", "name", "bandwidth"}, nil)
  local copy = {}
  for k, v in next, t do copy[k] = v end
  copy.name = t.name or "shared file system"
  return make_bucket(copy, true) -- not the global, which the script may have replaced
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
  check_keys(t, {"accelerator", "host", "storage", "price", "name", "electricity", "pue", "carbon", "scheduler", "fabric",
    "spares"}, nil)
  if not is(t.accelerator, "accelerator") then
    fail("accelerator: expected device{...} (or tpu{...}, gpu{...}, cpu{...}), got %s", describe(t.accelerator))
  end
  -- The break-even's second run (scenario.c): the same script on the rented alternative the owned machine names,
  -- the cluster's other settings read for it as for the machine it replaces.
  local against = rawget(t.accelerator, "against")
  if ts.against_pass and against ~= nil then
    local copy = {}
    for k, v in next, t do copy[k] = v end
    copy.accelerator, copy.price = against, nil
    t = copy
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
  if rawget(acc, "pricing") ~= "owned" and (rawget(acc, "utilisation") or rawget(acc, "owned_price") or rawget(acc, "owned_life")
      or rawget(acc, "financing") or rawget(acc, "against")) then
    fail("price: %s is not owned, but its accelerator has owned = {...} terms", describe(acc.pricing))
  end
  if t.electricity ~= nil then
    local e, per = quantity(t.electricity, "price", "electricity")
    if per ~= "kWh" then fail("electricity: expected USD/kWh, got %s", describe(t.electricity)) end
    acc.electricity = e
  end
  -- The data centre's overhead and its grid (docs/model.md, "Energy and carbon"): the provider's and the region's
  -- published figures unless the scenario knows better.  PUE is facility energy / IT energy: never below 1.
  if t.pue ~= nil then
    if type(t.pue) ~= "number" or t.pue ~= t.pue or t.pue < 1 or t.pue > 10 then
      fail("pue: expected the data centre's power usage effectiveness, a number from 1 to 10 (facility energy / "
        .. "IT energy), got %s", describe(t.pue))
    end
    acc.pue = t.pue
  end
  if t.carbon ~= nil then
    local n, unit
    if type(t.carbon) == "string" then
      n, unit = t.carbon:match("^%s*([%d%.]+)%s*(k?g)[Cc]?[Oo]?2?e?q?/kWh%s*$")
      n = n and tonumber(n)
    end
    if not n or n ~= n or n < 0 then
      fail("carbon: expected the grid's carbon intensity like \"400 g/kWh\" (grams of CO2e per kWh; kg/kWh also "
        .. "accepted), got %s", describe(t.carbon))
    end
    if unit == "kg" then n = n * 1000 end
    if n > 10000 then fail("carbon: %s is above 10,000 g/kWh, more than any grid emits", describe(t.carbon)) end
    acc.grid = n
  end
  local spares_nodes, spares_repair
  if t.spares ~= nil then
    local sp = expect_table(t.spares, "spares")
    check_keys(sp, {"nodes", "repair"}, "spares")
    if sp.nodes == nil or sp.repair == nil then
      fail("spares: expected { nodes = N, repair = \"72 h\" } (whole spare nodes, and how long a failed node is out), "
        .. "got nodes = %s, repair = %s", describe(sp.nodes), describe(sp.repair))
    end
    spares_nodes = count(sp.nodes, "spares.nodes")
    spares_repair = positive_duration(sp.repair, "spares.repair")
    if rawget(acc, "slice") ~= nil then
      fail("spares: a TPU slice's spare capacity is not modelled; spares are whole nodes of GPUs or CPUs")
    end
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
    -- What the scale-out network carries between nodes in all; only job{}s sharing the cluster contend for it.
    fabric = t.fabric ~= nil and positive_quantity(t.fabric, "rate", "fabric") or nil,
    -- Spare nodes the cluster keeps (and bills) for its job{}s' node failures, and how long a failed node is out.
    spare_nodes = spares_nodes,
    spare_repair = spares_repair,
    -- How job{}s share it (core/resources/scheduler.h); only jobs use it.
    scheduler = one_of(t.scheduler, {"fifo", "priority", "priority-preempt", "fair"}, "scheduler", "fifo"),
  })
end)

