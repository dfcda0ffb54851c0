-- expect: storage is priced in USD/GB-month, got "0.02 USD/chip-hour"
-- A bucket's price per chip-hour.
local b = bucket { price = "0.02 USD/chip-hour" }
