"""The generic, registry-driven news spiders."""
