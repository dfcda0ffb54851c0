-- expect: unexpected-eof.lua:4: unexpected symbol near <eof>
-- A table constructor cut off at the end of the file.
local t = { 1, 2,
