-- expect: doubling-string.lua:4: memory limit of
-- s = s .. s until the memory cap.
local s = "x"
while true do s = s .. s end
