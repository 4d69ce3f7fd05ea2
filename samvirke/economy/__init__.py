"""Economy of a fællesskab: member fees, shift hours and business cases."""
