-- expect: attempt to yield from outside a coroutine
-- coroutine.yield at the top level.
coroutine.yield(1)
