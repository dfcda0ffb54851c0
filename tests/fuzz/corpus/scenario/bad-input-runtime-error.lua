-- expect: runtime-error.lua:2: attempt to call a nil value
nosuchfunction()
