-- expect: bucket-replaced-under-filesystem.lua:5: filesystem: read: expected a positive rate, got "-1 GB/s"
-- filesystem{} is a bucket{} underneath: with the global bucket replaced by one that checks nothing, it must
-- still check its fields (the prelude calls its own copy).
bucket = function(t) return t end
local fs = filesystem { read = "-1 GB/s" }
