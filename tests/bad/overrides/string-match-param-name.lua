-- expect: string-match-param-name.lua:5: param: expected a name of letters, digits and _
-- string.match replaced to accept anything: a param name with escape sequences would reach the terminal and
-- summary.json.  The prelude uses its own copy of string.match, and the host checks the name again.
string.match = function() return "ok" end
local n = param("x\27[2J\27[H", 1)
