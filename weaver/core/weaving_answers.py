"""What became of earlier suggestions: the weaver's answers and the commands that record them.

Answers live in the document's settings (key ``suggestions``), so they travel with the file and
are undoable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .metrics import NetworkData
from .weaving_match import pair_key
from .weaving_suggest import STATUS_KEY, statuses

if TYPE_CHECKING:
    from .commands import Command
    from .store import Document


@dataclass(frozen=True)
class Answered:
    a: str
    b: str
    status: str  # "introduced", "dismissed" or "tie formed"
    on: str
    event_id: str | None = None


def answered_suggestions(data: NetworkData) -> list[Answered]:
    """Suggestions the weaver answered; an introduction becomes "tie formed" once the two
    members have a relationship."""
    tied = {frozenset((r.source_id, r.target_id)) for r in data.active_relationships()}
    out = []
    for key, info in statuses(data.settings).items():
        a, _, b = key.partition("|")
        if a not in data.members or b not in data.members:
            continue
        status = str(info.get("status", "dismissed"))
        if frozenset((a, b)) in tied and status == "introduced":
            status = "tie formed"
        out.append(Answered(a, b, status, str(info.get("on", "")), info.get("event_id")))
    return sorted(out, key=lambda x: x.on, reverse=True)


def MarkIntroduced(  # noqa: N802 - reads as a command class
    wb: Document, a: str, b: str, on: date | None = None, in_person: bool = False
) -> Command:
    """Log a one-to-one "introduction" event with both members and mark the pair introduced,
    as one undo step."""
    from .commands import LogMeeting, Macro, SetSettings, new_event

    on = on or date.today()
    ma, mb = wb.member(a), wb.member(b)
    if ma is None or mb is None:
        from .model import ValidationError

        raise ValidationError("one of those members no longer exists")
    event = new_event(
        f"Introduction: {ma.name} and {mb.name}",
        kind="introduction",
        date=on,
        in_person=in_person,
    )
    current = statuses(wb.settings())
    current[pair_key(a, b)] = {"status": "introduced", "on": on.isoformat(), "event_id": event.id}
    return Macro(
        f"Introduce {ma.name} and {mb.name}",
        [
            LogMeeting(event, [(a, "attendee"), (b, "attendee")]),
            SetSettings({STATUS_KEY: current}),
        ],
    )


def MarkDismissed(wb: Document, a: str, b: str, on: date | None = None) -> Command:  # noqa: N802
    from .commands import SetSettings

    current = statuses(wb.settings())
    current[pair_key(a, b)] = {"status": "dismissed", "on": (on or date.today()).isoformat()}
    return SetSettings({STATUS_KEY: current}, "Dismiss suggestion")


def Reopen(wb: Document, a: str, b: str) -> Command:  # noqa: N802
    """Forget the answer to a suggestion (the logged introduction event stays)."""
    from .commands import SetSettings

    current = statuses(wb.settings())
    current.pop(pair_key(a, b), None)
    return SetSettings({STATUS_KEY: current}, "Reopen suggestion")
