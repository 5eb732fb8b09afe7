"""fakebmc: a simulated server behind a real RMCP+ BMC, for testing tools."""
