-- expect: run: expected a cluster{...} first, got function
-- The cluster comes first.
run(function(r) end)
