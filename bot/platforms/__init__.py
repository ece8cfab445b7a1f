"""Outbound delivery to each platform, all behind :class:`survey.outbox.Delivery`."""
