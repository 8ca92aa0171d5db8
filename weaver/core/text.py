"""Text folding for search and matching: accent- and case-insensitive, whitespace-normalised."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """'  José  ÁLVAREZ ' -> 'jose alvarez'. Letters that decompose lose their accents;
    others (ß, ø) are handled by casefold or kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def initials(name: str) -> str:
    """'Ana María Ruiz' -> 'A. M. R.'; keeps it short for a crowded projector."""
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    return " ".join(f"{p[0].upper()}." for p in parts[:3])
