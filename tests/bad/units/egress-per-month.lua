-- expect: egress_price: expected USD/GB, got "0.09 USD/GB-month"
-- Egress is priced per GB moved, not per GB stored.
local net = internet { egress_price = "0.09 USD/GB-month" }
