"""The explorer's screens; each owns its bindings."""
