-- expect: param-name-escapes.lua:4: param: expected a name of letters, digits and _
-- A param named with an escape sequence: refused (names reach summary.json and the terminal).
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local x = param("a\27[2Jb", 1)
