-- expect: attempt to call a nil value (field 'dump')
-- No string.dump: a script cannot make binary chunks.
local bytes = string.dump(function() end)
