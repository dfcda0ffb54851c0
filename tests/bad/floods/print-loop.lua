-- expect: print-loop.lua:4: print output limit of 1 MiB exceeded
-- print in an endless loop once wrote 31.5 GB to stderr before the CPU limit stopped it: script output is
-- capped (1 MiB), and passing the cap ends the run like the other limits.
while true do print("flood") end
