"""Pieces every app shares that belong to none of them (no models: not a Django app)."""
