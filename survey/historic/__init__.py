"""Earlier rounds: reading, checking and importing an old survey tool's export."""
