-- expect: error-with-table.lua: (error object is a table value)
-- A table as the error, with a __tostring that loops: the host never calls it, and the message still names the
-- file (it used to name nothing).
error(setmetatable({}, { __tostring = function() while true do end end }))
