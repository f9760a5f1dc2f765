"""Use cases and the ports they need. Edges call these; storage and bot/ implement the ports."""
