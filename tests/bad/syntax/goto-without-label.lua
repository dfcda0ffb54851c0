-- expect: no visible label 'finish' for <goto>
-- goto to a label that does not exist.
goto finish
local x = 1
