"""Benchmarks of the bot edge (not part of the test suite): `python -m bench.edge`."""
