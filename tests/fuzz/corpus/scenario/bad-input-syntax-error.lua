-- expect: syntax-error.lua:3:
local x = 1
local y = = 2
