-- expect: os-remove.lua:3: attempt to index a nil value (global 'os')
-- No os library in the sandbox.
os.remove("scenarios/simclr-tpu-v3-128.lua")
