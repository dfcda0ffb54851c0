-- expect: string-byte-all.lua:3: stack overflow (string slice too long)
-- string.byte of a million bytes at once.
local t = { string.byte(string.rep("x", 1e6), 1, -1) }
