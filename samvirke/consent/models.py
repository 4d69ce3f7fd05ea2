"""Citizens in the telemedicine programme, consent, data processing agreements, operators and the disclosure log."""
