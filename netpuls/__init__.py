"""netpuls: the composition root (settings, CLI, translations) of the Teams bot."""
