"""Weaver: a desktop workbench for network weavers."""

__version__ = "0.1.0"
