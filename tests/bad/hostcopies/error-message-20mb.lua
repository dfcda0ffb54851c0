-- expect: error-message-20mb.lua:4: xxxxxxxx
-- An error message of 20 MB: the host keeps 4 KiB of it (escaped), not the whole text.
local text = string.rep("x", 20 * 2^20)
error(text)
