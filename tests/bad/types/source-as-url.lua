-- expect: from: expected internet{...}, got "https://image-net.org"
-- A dataset's source is an internet{} link, not a URL.
local data = datasets.imagenet_1k { from = "https://image-net.org" }
