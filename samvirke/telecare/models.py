"""Telemedicine's fællesskab per landsdel (a region and its municipalities): its settings, populations aged 40+,
enrolments, budgets, subscription invoices and add-on services."""
