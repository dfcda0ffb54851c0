-- expect: string-rep-bomb.lua:3: memory limit of
-- Checked against the memory cap before anything is allocated.
local s = string.rep("x", 2^40)
