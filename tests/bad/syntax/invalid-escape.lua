-- expect: invalid-escape.lua:3: invalid escape sequence
-- A Windows path in a plain string: \q is not a Lua escape.
local path = "C:\qux\data"
