"""The cadence's timing: APScheduler starts due steps; the database decides what is due."""
