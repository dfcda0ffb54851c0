-- expect: control-bytes.lua:4: unexpected symbol
-- Binary bytes in the middle of a text script.
local x = 1
ÿþ = 3
