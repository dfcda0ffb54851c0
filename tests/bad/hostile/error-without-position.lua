-- expect: error-without-position.lua: no position here
-- error(msg, 0) carries no position: the host adds the file's name.
error("no position here", 0)
