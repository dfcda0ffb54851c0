-- expect: package-loadlib.lua:3: attempt to index a nil value (global 'package')
-- No package library: no C modules.
local system = package.loadlib("libc.so.6", "system")
system("touch /tmp/trainsim-hostile")
