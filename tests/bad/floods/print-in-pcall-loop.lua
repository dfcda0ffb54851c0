-- expect: print-in-pcall-loop.lua:4: print output limit of 1 MiB exceeded
-- The output limit is sticky like the others: pcall cannot catch it and go on printing.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
while true do pcall(print, string.rep("z", 1000)) end
