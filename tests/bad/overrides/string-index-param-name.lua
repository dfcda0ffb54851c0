-- expect: string-index-param-name.lua:5: param: expected a name of letters, digits and _
-- Every string method replaced through the string metatable (name:match would then accept anything).
local ok = function() return "ok" end
getmetatable("").__index = { match = ok, format = ok, gsub = ok, find = ok }
local n = param("1 bad name", 1)
