-- expect: debug-sethook.lua:3: attempt to index a nil value (global 'debug')
-- No debug library: the hook that enforces the budget cannot be removed.
debug.sethook()
while true do end
