"""Survey core: roster, question banks, campaigns, anonymous answers, actions, jobs."""
