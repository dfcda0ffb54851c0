-- expect: assign-to-const.lua:4: attempt to assign to const variable 'batch'
-- A <const> local assigned again.
local batch <const> = 256
batch = 512
