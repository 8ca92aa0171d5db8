"""Graph files networkx parses as text: GML and Pajek ``.net``.

UCINET, Pajek, igraph and R users send these. networkx does the parsing (its own tokenizer
for GML, its Pajek reader for the lines of each section); this module bounds what it is given
and turns its graph into the node and edge tables GraphML becomes (:func:`graph_xml.to_grids`),
so ids, labels, weights, direction and extra attributes land exactly as they do for GraphML.

Pajek needs a pass of its own first: networkx's reader stops at the first ``*Edges`` or
``*Arcs`` section and reads every line after it as that kind, so a file with both, with
``*Arcslist``/``*Matrix`` sections, comments or vertices left unlisted would be misread. The
pass splits the file into its sections, checks each line (naming it when it is wrong) and hands
networkx one clean text per kind of tie.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from . import safety
from .csv_text import decode
from .draft import Draft
from .graph_xml import edge_item, node_item, to_grids
from .nodes_edges import Overrides
from .nodes_edges import read as read_tables
from .safety import UnsafeFile

# Each node and each edge becomes a row of a table: no more than a spreadsheet holds, the
# bound every tabular reader has. Counted in the text before networkx builds a graph.
MAX_GRAPH_ITEMS = safety.EXCEL_MAX_ROWS - 1

_GML_ITEM = re.compile(r"\b(node|edge)\s*\[")
_GML_ERROR_AT = re.compile(r"^(.*) at \((\d+), (\d+)\)$", re.DOTALL)
# A GML file opens with its graph, after comments and top-level keys (Creator "yEd", Version 2).
# (One space at a time: "\s+" inside the repetition would backtrack exponentially.)
_GML_START = re.compile(
    r'\A\ufeff?(?:\s|#[^\n]*\n|[A-Za-z]\w*\s+(?:"[^"]*"|[-+0-9.]+))*graph\s*\[', re.IGNORECASE
)
PAJEK_SHAPES = ("ellipse", "box", "diamond", "triangle", "cross", "empty")
_PAJEK_TIES = re.compile(r"^\*(arcs|edges)(list)?\b(.*)$", re.IGNORECASE)
# "*Arcs :2 "advice"": the second relation of a multi-relational network, and its name.
_PAJEK_RELATION = re.compile(r"^\s*:\s*\d+\s*(.*)$")


def looks_like_gml(head: str) -> bool:
    """The first few kilobytes of a file open a GML graph (``graph [``)."""
    return bool(_GML_START.match(head))


def looks_like_pajek(head: str) -> bool:
    """The first line that is not blank or a ``%`` comment is ``*Vertices`` or ``*Network``."""
    for line in head.splitlines():
        text = line.strip().lstrip("\ufeff")
        if text and not text.startswith("%"):
            return text.casefold().startswith(("*vertices", "*network"))
    return False


def read(path: Path, fmt: str, overrides: Overrides | None = None) -> Draft:
    """A GML (``fmt="gml"``) or Pajek (``fmt="pajek"``) file as a draft. Raises UnsafeFile
    (one line, naming the line of the file where it can) for a file it cannot read."""
    text, notice = decode(_bounded_bytes(path))
    problems: list[tuple[str, int | None]] = []
    if fmt == "gml":
        nodes, edges = _gml_tables(text)
    else:
        nodes, edges, problems = _pajek_tables(text)
    draft = read_tables(to_grids(path.name, nodes, edges), path.name, overrides)
    draft.format = fmt
    for message, line in problems:
        draft.problem(f"line {line:,}: {message}" if line else message)
    if notice:
        draft.notices.insert(0, notice)
    return draft


def _bounded_bytes(path: Path) -> bytes:
    """The file's bytes, never more than Weaver imports at once (the size was checked before,
    but a file can grow between the check and the read)."""
    with path.open("rb") as f:
        data = f.read(safety.MAX_SOURCE_BYTES + 1)
    if len(data) > safety.MAX_SOURCE_BYTES:
        raise UnsafeFile(
            f"is more than {safety.MAX_SOURCE_BYTES / 1e6:,.0f} MB, more than Weaver imports "
            "at once"
        )
    return data


def _too_many(what: str, count: int) -> str:
    return (
        f"holds {count:,} {what}, more than the {MAX_GRAPH_ITEMS:,} Weaver reads from one "
        "graph file; refused"
    )


# ---- GML ---------------------------------------------------------------------------------


def _gml_tables(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    for what in ("node", "edge"):
        count = sum(1 for m in _GML_ITEM.finditer(text) if m.group(1) == what)
        if count > MAX_GRAPH_ITEMS:
            raise UnsafeFile(_too_many(f"{what}s", count))
    try:
        # label="id": members are keyed by the file's ids, so two nodes may share a label
        # (networkx refuses that when it keys by label); the label stays an attribute.
        graph = nx.parse_gml(text, label="id")
    except RecursionError:
        raise UnsafeFile(
            "is not a readable GML file: its lists are nested too deeply; refused"
        ) from None
    except (nx.NetworkXError, ValueError, TypeError, KeyError, StopIteration) as exc:
        raise UnsafeFile(f"is not a readable GML file: {_gml_reason(exc)}") from None
    directed = graph.is_directed()
    nodes = [node_item(str(n), _gml_values(data)) for n, data in graph.nodes(data=True)]
    edges = []
    for source, target, data in graph.edges(data=True):
        values = _gml_values(data)
        edge_id = str(values.pop("id", ""))
        if "weight" not in values and "value" in values:
            # GML's usual name for a tie's weight (Pajek, UCINET and Newman's data sets): one
            # weight column for every edge, whichever word each uses.
            values["weight"] = values.pop("value")
        edges.append(edge_item(edge_id, str(source), str(target), directed, values))
    return nodes, edges


def _gml_reason(exc: BaseException) -> str:
    """networkx's message in one line, its "at (line, column)" said first and in words."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    found = _GML_ERROR_AT.match(message)
    if found:
        reason, line, column = found.groups()
        return f"line {int(line):,}, column {int(column):,}: {reason}"
    return message


def _gml_values(data: dict[str, Any]) -> dict[str, Any]:
    """A node's or edge's GML attributes as flat cells. ``graphics`` is drawing detail except
    its position (x, y); other nested lists join with " | ", nested records become
    "key subkey" fields."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "graphics" and isinstance(value, dict):
            out |= {k: v for k, v in value.items() if k in ("x", "y")}
        else:
            out |= dict(_flat(str(key), value))
    return out


def _flat(key: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(f"{key} {k}", v)
    elif isinstance(value, (list, tuple)):
        yield key, " | ".join(str(v) for v in value)
    else:
        yield key, value


# ---- Pajek -------------------------------------------------------------------------------


@dataclass
class _Pajek:
    """A Pajek file split into sections, each line checked, ready for networkx."""

    vertex_lines: list[str] = field(default_factory=list)
    vertex_ids: set[str] = field(default_factory=set)
    # "*Vertices 34": vertices 1 to 34 exist, listed or not.
    declared: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # label -> the first vertex with it
    # (directed, relation name) -> tie lines, in the file's order.
    ties: dict[tuple[bool, str], list[str]] = field(default_factory=dict)
    problems: list[tuple[str, int | None]] = field(default_factory=list)
    tie_count: int = 0


def _pajek_tables(
    text: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str, int | None]]]:
    pajek = _split_pajek(text)
    vertices = "*Vertices {}\n{}".format(len(pajek.vertex_lines), "\n".join(pajek.vertex_lines))
    try:
        graph = nx.parse_pajek(vertices)
        by_kind = {
            kind: nx.parse_pajek(
                f"{vertices}\n{'*Arcs' if kind[0] else '*Edges'}\n" + "\n".join(lines)
            )
            for kind, lines in pajek.ties.items()
        }
    except (nx.NetworkXError, ValueError, TypeError, KeyError, StopIteration) as exc:
        # Every line was checked first: this is a reader limit, said as networkx says it.
        raise UnsafeFile(f"is not a readable Pajek file ({exc})") from None
    # networkx keys vertices by label; the file's own number is the member's key.
    number = {label: str(data.get("id", label)) for label, data in graph.nodes(data=True)}
    nodes = []
    for label, data in graph.nodes(data=True):
        # The shape is drawing detail: left out, as GML's graphics are.
        values = {k: v for k, v in data.items() if k not in ("id", "shape")}
        nodes.append(node_item(number[label], {"label": label, **values}))
    edges = []
    for (directed, relation), tied in by_kind.items():
        for source, target, data in tied.edges(data=True):
            values = dict(data)
            if relation:
                values.setdefault("label", relation)
            edges.append(edge_item("", number[source], number[target], directed, values))
    return nodes, edges, pajek.problems


def _tokens(line: str, number: int, pajek: _Pajek) -> list[str] | None:
    try:
        return shlex.split(line)
    except ValueError as exc:  # "No closing quotation"
        pajek.problems.append((f"{str(exc).lower()}; line skipped", number))
        return None


def _split_pajek(text: str) -> _Pajek:
    pajek = _Pajek()
    section = ""  # "vertices", "ties", "list", "matrix" or "" (a section Weaver does not read)
    kind = (False, "")
    matrix_row = 0
    ordered: list[str] = []  # vertex numbers in the file's order (matrix rows and columns)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            head = line.split()[0].casefold()
            ties = _PAJEK_TIES.match(line)
            if head == "*vertices":
                section = "vertices"
                pajek.declared = _declared_vertices(line, number)
            elif ties:
                relation = _PAJEK_RELATION.match(ties.group(3))
                name = relation.group(1).strip().strip('"') if relation else ""
                kind = (ties.group(1).casefold() == "arcs", name)
                section = "list" if ties.group(2) else "ties"
            elif head == "*matrix":
                section, matrix_row = "matrix", 0
                ordered += [v for v in _unlisted(pajek) if v not in ordered]
            else:
                section = ""  # *Network, *Partition, *Vector …: not ties
            continue
        if section == "vertices":
            tokens = _tokens(line, number, pajek)
            if not tokens:
                continue
            vertex = tokens[0]
            if vertex in pajek.vertex_ids:
                pajek.problems.append((f"vertex {vertex} is listed twice; line skipped", number))
                continue
            line = _vertex_line(tokens)
            label = tokens[1] if len(tokens) > 1 else vertex
            if label in pajek.labels:
                pajek.problems.append(
                    (
                        f"vertex {vertex} has the label '{label}' of vertex "
                        f"{pajek.labels[label]}; the two are read as one member",
                        number,
                    )
                )
            pajek.labels.setdefault(label, vertex)
            pajek.vertex_ids.add(vertex)
            ordered.append(vertex)
            pajek.vertex_lines.append(line)
        elif section == "ties":
            _add_tie(pajek, kind, line, number)
        elif section == "list":
            tokens = _tokens(line, number, pajek)
            for other in (tokens or [])[1:]:
                _add_tie(pajek, kind, f"{shlex.quote(tokens[0])} {shlex.quote(other)}", number)
        elif section == "matrix":
            matrix_row += 1
            _add_matrix_row(pajek, ordered, matrix_row, line, number)
        if len(pajek.vertex_lines) > MAX_GRAPH_ITEMS or pajek.tie_count > MAX_GRAPH_ITEMS:
            what = "vertices" if len(pajek.vertex_lines) > MAX_GRAPH_ITEMS else "ties"
            raise UnsafeFile(_too_many(what, max(len(pajek.vertex_lines), pajek.tie_count)))
    # Pajek lets a file declare "*Vertices 5" and list none (or only some): the others are
    # there all the same, named by their number.
    for vertex in _unlisted(pajek):
        pajek.vertex_ids.add(vertex)
        pajek.vertex_lines.append(f'{vertex} "{vertex}"')
    if not pajek.vertex_lines:
        raise UnsafeFile("is not a readable Pajek file: it lists no *Vertices")
    return pajek


def _vertex_line(tokens: list[str]) -> str:
    """A vertex line as networkx reads it: always ``number label x y shape`` (blank where the
    file has none) and then the ``key value`` pairs.

    Pajek writes ``number "label" [x y [z]] [shape] [key value]…``; networkx takes the third
    to fifth words as x, y and shape and pairs up the rest, so a z coordinate or a missing
    shape would shift every pair after it. A vertex without a label is named by its number."""
    number, label, rest = tokens[0], tokens[1] if len(tokens) > 1 else tokens[0], tokens[2:]
    coordinates: list[str] = []
    while rest and len(coordinates) < 3 and _is_number(rest[0]):
        coordinates.append(rest.pop(0))
    shape = rest.pop(0) if rest and rest[0].casefold() in PAJEK_SHAPES else ""
    x, y = coordinates[:2] if len(coordinates) >= 2 else ("", "")
    return shlex.join([number, label, x, y, shape, *rest])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unlisted(pajek: _Pajek) -> list[str]:
    return [v for v in map(str, range(1, pajek.declared + 1)) if v not in pajek.vertex_ids]


def _exists(pajek: _Pajek, vertex: str) -> bool:
    return vertex in pajek.vertex_ids or (vertex.isdigit() and 1 <= int(vertex) <= pajek.declared)


def _declared_vertices(line: str, number: int) -> int:
    """``*Vertices 34`` (or ``*Vertices 34 12`` for a two-mode network): the count."""
    parts = line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        raise UnsafeFile(
            f"is not a readable Pajek file: line {number:,}: '{line}' does not say how many "
            "vertices there are (as in '*Vertices 34')"
        )
    declared = int(parts[1])
    if declared > MAX_GRAPH_ITEMS:
        raise UnsafeFile(_too_many("vertices", declared))
    return declared


def _add_tie(pajek: _Pajek, kind: tuple[bool, str], line: str, number: int) -> None:
    tokens = _tokens(line, number, pajek)
    if tokens is None:
        return
    if len(tokens) < 2:
        pajek.problems.append((f"'{line}' names one vertex, a tie needs two; line skipped", number))
        return
    missing = [t for t in tokens[:2] if not _exists(pajek, t)]
    if missing:
        pajek.problems.append(
            (f"refers to vertex {missing[0]}, which *Vertices does not list; line skipped", number)
        )
        return
    pajek.ties.setdefault(kind, []).append(line)
    pajek.tie_count += 1


def _add_matrix_row(pajek: _Pajek, ordered: list[str], row: int, line: str, number: int) -> None:
    """One row of a ``*Matrix`` section: an arc to each column with a non-zero value."""
    if row > len(ordered):
        pajek.problems.append(
            ("the matrix has more rows than there are vertices; row skipped", number)
        )
        return
    for column, cell in enumerate(line.split()):
        try:
            weight = float(cell)
        except ValueError:
            pajek.problems.append((f"'{cell}' in the matrix is not a number; cell ignored", number))
            continue
        if weight and column < len(ordered):
            _add_tie(pajek, (True, ""), f"{ordered[row - 1]} {ordered[column]} {cell}", number)
