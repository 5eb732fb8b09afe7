"""pyghmi: manage servers through their baseboard management controllers."""
