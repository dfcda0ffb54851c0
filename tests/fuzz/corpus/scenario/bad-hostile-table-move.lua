-- expect: table-move.lua:3: instruction budget of
-- A 2^40-element move inside C: charged to the instruction budget up front.
table.move({}, 1, 2^40, 1)
