"""Personal data: what netpuls holds about you, export and erasure (GDPR art. 15, 17, 20)."""
