-- expect: os-execute.lua:3: attempt to index a nil value (global 'os')
-- No os library in the sandbox.
os.execute("touch /tmp/trainsim-hostile")
