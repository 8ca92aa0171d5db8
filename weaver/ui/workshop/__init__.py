"""Workshop mode: quick entry while the room talks, the workshop session, the projector."""
