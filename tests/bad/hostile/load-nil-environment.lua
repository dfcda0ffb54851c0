-- expect: attempt to index a nil value (upvalue '_ENV')
-- load() with an explicit nil environment: the chunk sees no globals.
local f = load("x = 1", "chunk", "t", nil)
f()
