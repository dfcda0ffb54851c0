-- expect: expected a name of letters
local x = param("1abc", 3)
