-- expect: unfinished-string.lua:3: unfinished string
-- A string literal runs into the end of the line.
local name = "imagenet
local x = 1
