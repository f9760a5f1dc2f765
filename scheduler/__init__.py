"""netpuls package."""
