-- expect: :3: cpu: unknown field socket; accepted: instance, nodes, owned, price, pricing, sku, sockets
-- A misspelled key in cpu{}.
local box = cluster { accelerator = cpu { sku = "EPYC-9654", socket = 2 } }
run(box, function(r) r:wait("1 h") end)
