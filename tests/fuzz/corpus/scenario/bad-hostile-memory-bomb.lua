-- expect: memory limit of
-- Grows tables until the memory cap, inside a pcall loop that would retry forever.
local keep = {}
while true do
  pcall(function() local t = {} for i = 1, math.huge do t[i] = i end keep[#keep + 1] = t end)
end
