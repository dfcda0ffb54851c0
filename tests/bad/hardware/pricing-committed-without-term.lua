-- expect: :4: tpu: pricing: "committed" does not say the term: say "committed-1y" or "committed-3y"
-- A commitment is sold for 1 or 3 years at different prices; the bare word is refused, with the two
-- spellings that say which.
local box = cluster { accelerator = tpu { slice = "v5p-8", pricing = "committed" } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
