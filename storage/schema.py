"""Every table netpuls has: importing this registers all models on Base.metadata."""

from storage import (
    cadence,
    final_evaluation_models,
    material,
    meeting_events,
    models,
    pairs_models,
    questions,
    send_slots,
)

metadata = models.Base.metadata

__all__ = [
    "cadence",
    "final_evaluation_models",
    "material",
    "meeting_events",
    "metadata",
    "models",
    "pairs_models",
    "questions",
    "send_slots",
]
