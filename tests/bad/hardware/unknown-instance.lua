-- expect: unknown instance "p9.huge"; known:
-- An instance type not in any catalog.
local box = cluster { accelerator = gpu { instance = "p9.huge" } }
