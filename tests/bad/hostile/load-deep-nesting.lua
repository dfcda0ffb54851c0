-- expect: load-deep-nesting.lua:
-- 300,000 nested table constructors handed to load(): refused by the parser.
local f, err = load("return " .. string.rep("{", 300000) .. string.rep("}", 300000))
error(err, 0)
