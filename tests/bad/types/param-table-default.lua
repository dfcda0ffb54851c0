-- expect: shape: default must be a number, string or boolean
-- A param's default must be overridable from the command line.
local shape = param("shape", { 1, 2 })
