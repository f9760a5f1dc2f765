"""The netpuls domain: entities, rules and user-safe errors. Standard library only."""
