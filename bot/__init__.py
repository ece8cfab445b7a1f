"""Delivery layer: conversation engine, commands, renderers, web app, worker, CLI."""
