-- expect: string-rep-empty.lua:3: instruction budget of
-- Allocates nothing but would loop 2^40 times inside C: charged to the instruction budget up front.
local s = string.rep("", 2^40)
