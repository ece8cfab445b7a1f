"""Bolt listeners grouped by kind; each module adds its own with ``register(app)``."""
