"""Qt table models over the core document (members, relationships, events)."""
