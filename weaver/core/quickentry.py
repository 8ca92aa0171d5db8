"""Quick entry for live workshops: one typed line becomes members, ties and attendance.

    Ana Ruiz              add a member (or find the one already there)
    Ana ↔ Ben             a tie (also <->, <>, --)
    Ana: Ben, Chris       answers to the current prompt: ties of the prompt's kind

Names resolve to existing members accent- and case-insensitively (a unique first-name or
prefix match counts), so the room never creates "Jose" next to "José Álvarez". Everything a line
does is one undoable command.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .commands import AddEntities, Command, Macro, new_member, new_relationship
from .model import Attendance, Member, Relationship, ValidationError, new_id, utc_now
from .text import fold

TIE_SEPARATORS = re.compile(r"\s*(?:↔|<->|<>|--|—)\s*")


@dataclass(frozen=True)
class Suggestion:
    member_id: str
    name: str
    score: float


@dataclass(frozen=True)
class NameEntry:
    name: str


@dataclass(frozen=True)
class TieEntry:
    a: str
    b: str


@dataclass(frozen=True)
class AnswersEntry:
    source: str
    targets: tuple[str, ...]


Entry = NameEntry | TieEntry | AnswersEntry


def parse(line: str) -> Entry:
    text = " ".join(line.split())
    if not text:
        raise ValidationError("type a name, 'Ana ↔ Ben', or 'Ana: Ben, Chris'")
    parts = TIE_SEPARATORS.split(text)
    if len(parts) == 2:
        a, b = (p.strip() for p in parts)
        if not a or not b:
            raise ValidationError("a tie needs a name on each side: 'Ana ↔ Ben'")
        return TieEntry(a, b)
    if len(parts) > 2:
        raise ValidationError("one tie per line: 'Ana ↔ Ben'")
    if ":" in text:
        source, _, rest = text.partition(":")
        targets = tuple(t.strip() for t in re.split(r"[,;]", rest) if t.strip())
        if not source.strip() or not targets:
            raise ValidationError("answers look like 'Ana: Ben, Chris, Dana'")
        return AnswersEntry(source.strip(), targets)
    return NameEntry(text)


def _score(query: str, name: str) -> float:
    if name == query:
        return 1.0
    if name.startswith(query):
        return 0.95
    tokens = name.split()
    if any(t.startswith(query) for t in tokens):
        return 0.9
    if query in name:
        return 0.8
    return 0.0


def _fuzzy(query: str, name: str) -> float:
    """Typo-tolerant similarity (0.75 at best, below every exact kind of match)."""
    best = 0.0
    for candidate in (name, *name.split()):
        matcher = SequenceMatcher(None, query, candidate)
        # real_quick_ratio and quick_ratio are cheap upper bounds: skip hopeless names fast.
        if matcher.real_quick_ratio() * 0.75 <= best or matcher.quick_ratio() * 0.75 <= best:
            continue
        best = max(best, 0.75 * matcher.ratio())
    return best


class NameIndex:
    """Members' names folded once, so suggesting per keystroke stays fast on thousands."""

    def __init__(self, members: Iterable[Member]) -> None:
        self.entries = [(m.id, m.name, fold(m.name)) for m in members]

    def suggest(self, query: str, limit: int = 8) -> list[Suggestion]:
        q = fold(query)
        if not q:
            return []
        scored = [
            (-s, folded, mid, name)
            for mid, name, folded in self.entries
            if (s := _score(q, folded)) > 0
        ]
        if len(scored) < limit and len(q) >= 3:
            # Only when plain matching found too little: the typo-tolerant pass is slower.
            found = {row[2] for row in scored}
            for mid, name, folded in self.entries:
                if mid not in found and folded[:1] == q[:1] and (f := _fuzzy(q, folded)) >= 0.5:
                    scored.append((-round(f, 3), folded, mid, name))
        best = heapq.nsmallest(limit, scored)
        return [Suggestion(mid, name, -neg) for neg, _folded, mid, name in best]


def suggest(query: str, members: Iterable[Member], limit: int = 8) -> list[Suggestion]:
    """Members whose names match what is typed so far, best first (fuzzy, accent-blind)."""
    return NameIndex(members).suggest(query, limit)


def resolve(name: str, members: Sequence[Member]) -> Member | None:
    """The existing member a typed name means, if it means exactly one."""
    q = fold(name)
    exact = [m for m in members if fold(m.name) == q]
    if exact:
        return exact[0]
    starts = [m for m in members if fold(m.name).startswith(q + " ")]
    return starts[0] if len(starts) == 1 else None


@dataclass
class QuickPlan:
    command: Command | None
    messages: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # every member the line names
    added_members: list[str] = field(default_factory=list)
    added_ties: int = 0


def plan(
    entry: Entry,
    members: Sequence[Member],
    relationships: Iterable[Relationship],
    *,
    prompt_kind: str = "",
    workshop_event_id: str | None = None,
    attending: Iterable[str] = (),
) -> QuickPlan:
    """Turn one entry into one command (or none, when everything is already there)."""
    stamp = utc_now()
    known = list(members)
    new_entities: list[object] = []
    result = QuickPlan(command=None)

    def member_for(name: str) -> str:
        found = resolve(name, known)
        if found is not None:
            if fold(found.name) != fold(name) or isinstance(entry, NameEntry):
                result.messages.append(f"already in the network as {found.name}")
            return found.id
        created = new_member(name, stamp)
        known.append(created)
        new_entities.append(created)
        result.added_members.append(created.id)
        return created.id

    kind = prompt_kind.strip() or "colleague"
    pairs: list[tuple[str, str]] = []
    if isinstance(entry, NameEntry):
        result.members.append(member_for(entry.name))
    elif isinstance(entry, TieEntry):
        a, b = member_for(entry.a), member_for(entry.b)
        result.members += [a, b]
        pairs.append((a, b))
    else:
        source = member_for(entry.source)
        result.members.append(source)
        for target in entry.targets:
            t = member_for(target)
            result.members.append(t)
            pairs.append((source, t))

    existing = {
        (frozenset((r.source_id, r.target_id)), fold(r.kind))
        for r in relationships
        if r.ended_on is None
    }
    names = {m.id: m.name for m in known}
    for a, b in pairs:
        if a == b:
            result.messages.append(f"{names[a]} cannot be tied to themselves")
            continue
        key = (frozenset((a, b)), fold(kind))
        if key in existing:
            result.messages.append(f"{names[a]} and {names[b]} are already tied ({kind})")
            continue
        existing.add(key)
        # "Ana: Ben" answers a prompt ("who do you turn to…?"): Ana points at Ben.
        direction = "directed" if isinstance(entry, AnswersEntry) else "undirected"
        new_entities.append(new_relationship(a, b, stamp, kind=kind, direction=direction))
        result.added_ties += 1

    if workshop_event_id is not None:
        present = set(attending)
        for m in dict.fromkeys(result.members):
            if m not in present:
                new_entities.append(
                    Attendance(
                        id=new_id(),
                        event_id=workshop_event_id,
                        member_id=m,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
    if new_entities:
        label = f"Quick entry: {_describe(entry)}"
        result.command = Macro(label, [AddEntities(new_entities, label)])
    return result


def _describe(entry: Entry) -> str:
    if isinstance(entry, NameEntry):
        return entry.name
    if isinstance(entry, TieEntry):
        return f"{entry.a} ↔ {entry.b}"
    return f"{entry.source}: {', '.join(entry.targets)}"
