-- expect: string-rep-separator-bomb.lua:3: memory limit of
-- A separator makes string.rep's result even larger: checked before anything is allocated.
local s = string.rep("x", 1e9, "yy")
