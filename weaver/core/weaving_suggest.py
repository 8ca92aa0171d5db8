"""Suggested introductions: close triangles between members who are not tied.

Ranked by shared contacts (each weighted by the strength and trust of both ties), shared tags,
and an offer that meets a need; pairs the weaver answered (settings key ``suggestions``) and
pairs already tied or affiliated are left out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .metrics import NetworkData
from .model import Member, ValueItem
from .privacy import withholds_consent
from .weaving_match import item_key, offer_index, pair_key

STATUS_KEY = "suggestions"
OFFERERS_PER_NEED = 3
TAG_BONUS = 0.3
MATCH_BONUS = 1.0
PER_MEMBER = 3  # suggestions naming one member before others get a turn


@dataclass(frozen=True)
class Match:
    offerer: str
    needer: str
    item: ValueItem  # the need as the needer wrote it
    offer: ValueItem | None = None  # the offer as the offerer wrote it


@dataclass(frozen=True)
class Suggestion:
    a: str
    b: str
    score: float
    shared_contacts: tuple[str, ...] = ()
    shared_tags: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return pair_key(self.a, self.b)


def _names(ids: Iterable[str], members: Mapping[str, Member], limit: int = 3) -> str:
    """'Ana, Ben, Cleo and 2 more'. Members whose consent is "no" are counted, never named."""
    ids = list(ids)
    visible = [members[i].name for i in ids if not withholds_consent(members[i])]
    shown = visible[:limit]
    rest = len(ids) - len(shown)
    if not shown:
        return f"{rest} member{'s' if rest != 1 else ''}"
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return shown[0]


def statuses(settings: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    value = settings.get(STATUS_KEY) or {}
    return dict(value) if isinstance(value, dict) else {}


def _excluded_pairs(data: NetworkData) -> set[frozenset[str]]:
    """Pairs never suggested: any tie, active or ended, and affiliations."""
    out = {frozenset((r.source_id, r.target_id)) for r in data.relationships}
    out |= {frozenset((a.person_id, a.organization_id)) for a in data.affiliations}
    return out


def suggest_introductions(
    data: NetworkData, top: int = 50, community_of: Mapping[str, int] | None = None
) -> list[Suggestion]:
    """The ``top`` best introductions still open, best first.

    Scored for every candidate pair at once with sparse matrices: S[c, a] = sqrt(weight of
    the tie c–a), so (SᵀS)[a, b] sums sqrt(w_ca · w_cb) over shared contacts c (a geometric
    mean per path: one weak tie weakens it). Tags and offer/need keys are bit sets, so shared
    tags and matches are popcounts.
    """
    g = data.graph()
    members = data.members
    ids = list(g)
    n = len(ids)
    if n < 2:
        return []
    index = {m: i for i, m in enumerate(ids)}
    eligible = np.array([members[m].consent != "no" for m in ids])
    community_of = community_of or {}

    rows, cols, vals = [], [], []
    for a, b, w in g.edges(data="weight"):
        ia, ib, sw = index[a], index[b], math.sqrt(w)
        rows += [ia, ib]
        cols += [ib, ia]
        vals += [sw, sw]
    s_mat = sparse.csr_array((vals, (rows, cols)), shape=(n, n))
    s_mat = s_mat @ sparse.diags_array(eligible.astype(float))  # never pair an ineligible
    through = sparse.triu(s_mat.T @ s_mat, k=1).tocoo()
    codes = through.row.astype(np.int64) * n + through.col
    scores = through.data

    # Offers meeting needs: the few best-placed offerers for each need become candidates too.
    excluded = _pair_codes(_excluded_pairs(data), index, n)
    excluded_set = set(excluded.tolist())
    offers = offer_index(members[m] for m in ids if eligible[index[m]])
    for key in offers:
        offers[key].sort(key=lambda m: (-g.degree(m), m))
    extra: list[int] = []
    for b in ids:
        if not eligible[index[b]]:
            continue
        for key in {item_key(i) for i in members[b].needs}:
            taken = 0
            for a in offers.get(key, ()):
                if taken >= OFFERERS_PER_NEED:
                    break
                lo, hi = sorted((index[a], index[b]))
                code = lo * n + hi
                if a == b or code in excluded_set:
                    continue
                extra.append(code)
                taken += 1
    if extra:
        codes = np.concatenate([codes, np.asarray(extra, dtype=np.int64)])
        scores = np.concatenate([scores, np.zeros(len(extra))])
        codes, where = np.unique(codes, return_inverse=True)
        scores = np.bincount(where, weights=scores, minlength=len(codes))
    answered = _pair_codes([tuple(k.split("|", 1)) for k in statuses(data.settings)], index, n)
    keep = ~np.isin(codes, np.concatenate([excluded, answered]))
    codes, scores = codes[keep], scores[keep]
    if len(codes) == 0:
        return []
    left, right = codes // n, codes % n

    tag_bits = _bits([{t.casefold() for t in members[m].tags} for m in ids])
    offer_bits, need_bits = _bits(
        [{item_key(i) for i in members[m].offers} for m in ids],
        [{item_key(i) for i in members[m].needs} for m in ids],
    )
    n_tags = _popcount(tag_bits[left] & tag_bits[right])
    n_matches = _popcount(offer_bits[left] & need_bits[right]) + _popcount(
        offer_bits[right] & need_bits[left]
    )
    total = scores + MATCH_BONUS * np.minimum(n_matches, 2) + TAG_BONUS * np.minimum(n_tags, 3)
    total = np.round(total, 3)
    want = min(len(total), top * 10)
    best_idx = (
        np.argpartition(-total, want - 1)[:want] if want < len(total) else np.arange(len(total))
    )
    ranked = sorted(
        ((float(total[i]), ids[left[i]], ids[right[i]]) for i in best_idx.tolist()),
        key=lambda x: (-x[0], members[x[1]].name, members[x[2]].name),
    )
    best = _spread_out(ranked, top)
    return [_explain(score, a, b, data, community_of) for score, a, b in best]


def _pair_codes(pairs: Iterable[Iterable[str]], index: Mapping[str, int], n: int) -> np.ndarray:
    out = []
    for p in pairs:
        p = tuple(p)
        if len(p) == 2 and p[0] in index and p[1] in index:
            lo, hi = sorted((index[p[0]], index[p[1]]))
            out.append(lo * n + hi)
    return np.asarray(out, dtype=np.int64)


def _bits(*families: list[set[Any]]) -> Any:
    """Each member's set as a row of 64-bit words (one bit per distinct value, shared across
    the families so offer and need keys line up)."""
    vocabulary: dict[Any, int] = {}
    for family in families:
        for items in family:
            for item in items:
                vocabulary.setdefault(item, len(vocabulary))
    words = max(1, (len(vocabulary) + 63) // 64)
    out = []
    for family in families:
        bits = np.zeros((len(family), words), dtype=np.uint64)
        for row, items in enumerate(family):
            for item in items:
                b = vocabulary[item]
                bits[row, b // 64] |= np.uint64(1) << np.uint64(b % 64)
        out.append(bits)
    return out[0] if len(out) == 1 else tuple(out)


def _popcount(bits: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits).sum(axis=1).astype(np.int64)


def _spread_out(ranked: list[tuple[float, str, str]], top: int) -> list[tuple[float, str, str]]:
    """The best ``top``, but no member in more than PER_MEMBER of them while others wait: a
    to-do list of twenty introductions for one hub is less useful than one that reaches many."""
    seen: dict[str, int] = defaultdict(int)
    first, later = [], []
    for item in ranked:
        _, a, b = item
        if seen[a] < PER_MEMBER and seen[b] < PER_MEMBER:
            seen[a] += 1
            seen[b] += 1
            first.append(item)
        else:
            later.append(item)
    return (first + later)[:top]


def _explain(
    score: float, a: str, b: str, data: NetworkData, community_of: Mapping[str, int]
) -> Suggestion:
    g, members = data.graph(), data.members
    ma, mb = members[a], members[b]
    contacts = sorted(set(g.adj[a]) & set(g.adj[b]), key=lambda c: (-g.degree(c), c))
    matches = _matches(ma, mb) + _matches(mb, ma)
    tags_b = {t.casefold() for t in mb.tags}
    tags = tuple(t for t in ma.tags if t.casefold() in tags_b)
    s = Suggestion(a, b, score, tuple(contacts), tags, tuple(matches))
    return _with_reasons(s, members, community_of)


def _matches(offerer: Member, needer: Member) -> list[Match]:
    offered = {item_key(i): i for i in offerer.offers}
    return [
        Match(offerer.id, needer.id, n, offered[item_key(n)])
        for n in needer.needs
        if item_key(n) in offered
    ]


def _with_reasons(
    s: Suggestion, members: Mapping[str, Member], community_of: Mapping[str, int]
) -> Suggestion:
    reasons = explain(s, members, community_of)
    return Suggestion(s.a, s.b, s.score, s.shared_contacts, s.shared_tags, s.matches, reasons)


def explain(
    s: Suggestion,
    members: Mapping[str, Member],
    community_of: Mapping[str, int],
    *,
    matches: bool = True,
    hidden_tags: Iterable[str] | None = (),
) -> tuple[str, ...]:
    """The suggestion's reasons in words. A report leaves out what the document keeps private:
    ``matches=False`` drops offers and needs, ``hidden_tags`` names tags not to show (``None``:
    no tags at all)."""
    reasons = []
    n = len(s.shared_contacts)
    if n:
        reasons.append(
            f"{n} shared contact{'s' if n != 1 else ''}: {_names(s.shared_contacts, members)}"
        )
    for m in s.matches if matches else ():
        offered = (m.offer or m.item).text
        who, whom = _names([m.offerer], members), _names([m.needer], members)
        reasons.append(f"{who} offers {offered}; {whom} needs it")
    hidden = None if hidden_tags is None else {t.casefold() for t in hidden_tags}
    tags = [] if hidden is None else [t for t in s.shared_tags if t.casefold() not in hidden]
    if tags:
        quoted = ", ".join(f"'{t}'" for t in tags)
        reasons.append(f"both tagged {quoted}")
    ca, cb = community_of.get(s.a), community_of.get(s.b)
    if ca and cb and ca != cb:
        reasons.append("would bridge two clusters")
    return tuple(reasons)
