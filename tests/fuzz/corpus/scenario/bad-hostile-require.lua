-- expect: require.lua:3: attempt to call a nil value (global 'require')
-- No require: the standard libraries the sandbox leaves out cannot be loaded back.
local os = require("os")
os.execute("touch /tmp/trainsim-hostile")
