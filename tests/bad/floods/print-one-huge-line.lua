-- expect: print-one-huge-line.lua:3: print output limit of 1 MiB exceeded
-- One print of 10 MB: the first MiB is written, then the run ends.
print(string.rep("y", 10 * 2^20))
