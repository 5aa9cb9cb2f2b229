"""Talking to the outside world: HTTP webhooks and command hooks."""
