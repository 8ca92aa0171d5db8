"""Dated trust and value ratings of a relationship.

A tie is rated now and again (after a meeting, at a review); every rating is kept, the latest
one is what the map and the suggestions use. Trust is reliability, support of the mission and
openness to discussion; value is power/influence, level of involvement and resource
contribution. Each is 1–4 or left blank.

This module imports only the domain model: the row codec is in ``codec``, the reads in the
store (``Document.ratings_of``) and the commands that write ratings in ``commands``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from .model import ValidationError, new_id, utc_now

RATING_MIN, RATING_MAX = 1, 4

TRUST_FIELDS: tuple[str, ...] = ("reliability", "mission_support", "openness")
VALUE_FIELDS: tuple[str, ...] = ("influence", "involvement", "resource_contribution")
SCORE_FIELDS: tuple[str, ...] = TRUST_FIELDS + VALUE_FIELDS

# Labels a person reads (the UI translates them; reports use them as they are).
FIELD_LABELS: dict[str, str] = {
    "reliability": "Reliability",
    "mission_support": "Support of the mission",
    "openness": "Openness to discussion",
    "influence": "Power / influence",
    "involvement": "Level of involvement",
    "resource_contribution": "Resource contribution",
}


@dataclass(frozen=True)
class Rating:
    id: str
    relationship_id: str
    rated_on: date
    reliability: int | None = None
    mission_support: int | None = None
    openness: int | None = None
    influence: int | None = None
    involvement: int | None = None
    resource_contribution: int | None = None
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.rated_on, date):
            raise ValidationError("a rating needs a date")
        for name in SCORE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if not (isinstance(value, int) and RATING_MIN <= value <= RATING_MAX):
                raise ValidationError(
                    f"{FIELD_LABELS[name].lower()} must be a whole number from "
                    f"{RATING_MIN} to {RATING_MAX}, or blank"
                )
        if all(getattr(self, name) is None for name in SCORE_FIELDS):
            raise ValidationError("a rating needs at least one score")

    @property
    def trust(self) -> float | None:
        """Mean of the trust scores given (1–4), or None when none was given."""
        return _mean(getattr(self, n) for n in TRUST_FIELDS)

    @property
    def value(self) -> float | None:
        return _mean(getattr(self, n) for n in VALUE_FIELDS)

    def scores(self) -> dict[str, int | None]:
        return {n: getattr(self, n) for n in SCORE_FIELDS}


def _mean(values: Iterable[int | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def new_rating(relationship_id: str, rated_on: date, **scores: Any) -> Rating:
    stamp = utc_now()
    known = {f.name for f in fields(Rating)}
    unknown = set(scores) - known
    if unknown:
        raise ValidationError(f"unknown rating field(s): {', '.join(sorted(unknown))}")
    return Rating(
        id=new_id(),
        relationship_id=relationship_id,
        rated_on=rated_on,
        created_at=stamp,
        updated_at=stamp,
        **scores,
    )


def latest_ratings(ratings: Iterable[Rating]) -> dict[str, Rating]:
    """The latest rating of each relationship (by date, then by when it was entered)."""
    latest: dict[str, Rating] = {}
    for r in ratings:
        best = latest.get(r.relationship_id)
        if best is None or (r.rated_on, r.created_at) > (best.rated_on, best.created_at):
            latest[r.relationship_id] = r
    return latest


def history_of(ratings: Iterable[Rating], relationship_id: str) -> list[Rating]:
    """Every rating of one relationship, newest first."""
    mine = [r for r in ratings if r.relationship_id == relationship_id]
    return sorted(mine, key=lambda r: (r.rated_on, r.created_at), reverse=True)


def with_scores(rating: Rating, **scores: Any) -> Rating:
    return replace(rating, **scores)
