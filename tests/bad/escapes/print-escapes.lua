-- expect: print-escapes.lua:4: \x1B[31mred\x1B[0m \xC2\x9B2J
-- print writes to stderr: escape sequences (ESC, and CSI as U+009B) are shown, not obeyed; then an error.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
print("\27[31mred\27[0m \u{9B}2J")
error("stop")
