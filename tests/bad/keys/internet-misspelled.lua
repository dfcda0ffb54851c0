-- expect: :3: internet: unknown field bandwith; accepted: bandwidth, egress_price, mtbf, name, retry
-- A misspelled key in internet{}.
local link = internet { bandwith = "1 Gbit/s" }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
