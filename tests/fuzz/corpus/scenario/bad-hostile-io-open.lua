-- expect: io-open.lua:3: attempt to index a nil value (global 'io')
-- No io library in the sandbox.
local f = io.open("/etc/passwd")
print(f:read("a"))
