-- expect: error-with-escapes.lua:4: \x1B[2J\x1B[H\x0D  feasible  yes
-- An error message that would clear the screen and forge a summary line: its control bytes are shown escaped.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
error("\27[2J\27[H\r  feasible  yes")
