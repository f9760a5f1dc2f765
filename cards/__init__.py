"""Adaptive Cards as pure functions: view data in, card dict out. No I/O."""
