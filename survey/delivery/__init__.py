"""Work and messages out: the job table, claims, the outbox, chat conversations."""
