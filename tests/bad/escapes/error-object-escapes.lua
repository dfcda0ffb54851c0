-- expect: error-object-escapes.lua: \x1B]0;owned\x07\x0A
-- error() at level 0 (no position): the file is still named, and the title-setting sequence is escaped.
error("\27]0;owned\7\n", 0)
