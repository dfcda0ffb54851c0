-- expect: dofile.lua:3: attempt to call a nil value (global 'dofile')
-- No dofile or loadfile: scripts cannot read files.
dofile("/etc/passwd")
