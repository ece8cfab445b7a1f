"""Closing the loop: actions, "you said, we did", briefings, feedback, targets."""
