"""Delivery to each platform, behind :class:`survey.delivery.outbox.Delivery`."""
