"""Dockable panels: the members, relationships and events tables and the details panel."""
