-- expect: param-default-2000-bytes.lua:4: param: big: a string value of at most 1024 bytes, got 2000
-- A param's value is kept on the host for summary.json and every sweep row: a 2000-byte (or 50 MB) default
-- is refused rather than copied.
local big = param("big", string.rep("p", 2000))
