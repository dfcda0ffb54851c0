-- expect: sockets: expected a positive integer, got 0
-- A CPU machine with no sockets.
local c = cpu { sku = "EPYC-9654", sockets = 0 }
