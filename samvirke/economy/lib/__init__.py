"""Pure economic models over plain data (no Django): fees, shift hours, business cases."""
