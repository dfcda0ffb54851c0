-- expect: attempt to load a binary chunk (mode is 't')
-- load() only takes text: binary chunks can break the VM.  (string.dump is gone, so the bytes are spelled out.)
local f = assert(load("\27Lua\84\0\25\147\r\n\26\n\4\8\8xV\0\0\0\0\0\0\0\0\0\0\0(w@", "bin", "b"))
f()
