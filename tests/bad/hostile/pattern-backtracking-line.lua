-- expect: pattern-backtracking-line.lua:5: CPU time limit of 3 s exceeded inside a C function
-- A pattern that backtracks for hours inside one C call, where no hook fires: the watchdog ends the process,
-- and its message names the line (it once named only the file).
local subject = string.rep("a", 40)
local found = subject:find(string.rep("a*", 40) .. "b")
