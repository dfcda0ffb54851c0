-- expect: electricity: expected USD/kWh, got "0.15 USD/GB"
-- Electricity is priced per kWh.
local box = cluster { accelerator = gpu { instance = "DGX Station", pricing = "owned" }, electricity = "0.15 USD/GB" }
