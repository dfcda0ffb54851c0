-- expect: :4: tpu: slices: v3 has no data-centre network bandwidth in the catalog (none published); give network = "... Gbit/s" (per host) to join 2 slices
-- Two v3 pods over the data-centre network: no published per-host DCN figure for v3, so the scenario must
-- give one.
local pods = cluster { accelerator = tpu { slice = "v3-2048", slices = 2 } }
run(pods, function(r) r:provision(pods.accelerator) r:release(pods.accelerator) end)
