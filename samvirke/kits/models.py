"""Devices, kits, their lifecycle and stock; logistics tasks and day plans."""
