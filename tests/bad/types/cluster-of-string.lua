-- expect: cluster: expected a table, got "v3-8"
-- cluster takes a table of fields.
local pod = cluster "v3-8"
