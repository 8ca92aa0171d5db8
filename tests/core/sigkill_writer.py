"""A writer for test_sigkill: opens a document and commits tagged transactions until killed.

Usage: python sigkill_writer.py DOCUMENT ROUND

Transaction n of round r is one Macro that adds, all tagged ``r{r}-t{n}``: GROUP_SIZE members,
an event, their attendance, a tie from each new member to a member of an earlier transaction
(or the seed), and sets the setting ``last_r{r}`` to n. After a kill, each transaction must be
wholly present or wholly absent, and the present ones must be exactly t0..t(last).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from weaver.core.commands import (  # noqa: E402
    AddEntities,
    Macro,
    SetSettings,
    new_event,
    new_member,
    new_relationship,
)
from weaver.core.model import Attendance, new_id, utc_now  # noqa: E402
from weaver.core.store import Document  # noqa: E402

GROUP_SIZE = 5


def transaction(wb: Document, round_no: int, n: int, anchors: list[str]) -> list[str]:
    tag = f"r{round_no}-t{n}"
    stamp = utc_now()
    members = [
        new_member(f"{tag} member {i}", stamp, tags=(tag,), custom={"tx": tag})
        for i in range(GROUP_SIZE)
    ]
    event = new_event(f"{tag} meeting", stamp, notes=tag)
    attendance = [Attendance(new_id(), event.id, m.id, "attendee", stamp, stamp) for m in members]
    ties = [
        new_relationship(m.id, anchors[(n + i) % len(anchors)], stamp, notes=tag)
        for i, m in enumerate(members)
    ]
    Macro(
        f"transaction {tag}",
        [
            AddEntities([*members, event, *attendance, *ties], tag),
            SetSettings({f"last_r{round_no}": n}),
        ],
    ).apply(wb)
    return [m.id for m in members]


def main() -> None:
    path, round_no = Path(sys.argv[1]), int(sys.argv[2])
    wb = Document.open(path)
    anchors = [m.id for m in wb.members()]
    print("ready", flush=True)
    n = 0
    while True:
        anchors = (transaction(wb, round_no, n, anchors) + anchors)[:50]
        n += 1


if __name__ == "__main__":
    main()
