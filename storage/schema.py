"""Every table netpuls has: importing this registers all models on Base.metadata."""

from storage import cadence, material, models

metadata = models.Base.metadata

__all__ = ["cadence", "material", "metadata", "models"]
