"""The conversation core every platform shares: messages, the survey flow, commands."""
