"""Samvirke: the platform a fællesskab of Danish municipalities and a region runs its shared citizen service on."""
