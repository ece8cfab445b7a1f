"""When things happen: campaign plans, reminders, nudges, pulses, working hours."""
