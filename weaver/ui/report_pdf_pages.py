"""The content of the PDF report, section by section: profile, scorecard, map, charts over
time, suggested introductions, nudges and design questions.

Part of :mod:`weaver.ui.report_pdf`; draws with the primitives of ``report_pdf_layout``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from .report_pdf_layout import MUTED, PageCursor, draw_series, report_tr
from .report_pdf_map import render_map


def _value(v: Any, key: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if key in ("density", "in_person_share_90d", "reciprocity"):
            return f"{v:.1%}" if key != "density" else f"{v:.4f}"
        return f"{v:.3f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v)}"
    return str(v)


def _change(key: str, now: Any, report: dict[str, Any]) -> str:
    """'↑ 3' against the latest snapshot, '' without one."""
    series = report.get("trends", {}).get(key, [])
    if not series or now is None:
        return ""
    delta = float(now) - float(series[-1][1])
    if abs(delta) < 1e-9:
        return "→ 0"
    arrow = "↑" if delta > 0 else "↓"
    if key in ("in_person_share_90d", "reciprocity"):
        return f"{arrow} {abs(delta):.1%}"
    return f"{arrow} {_value(round(abs(delta), 4), key)}"


def draw_report(d: PageCursor, report: dict[str, Any], map_data: dict[str, Any] | None) -> None:
    """The report's sections in order (profile, scorecard, map, suggestions, nudges)."""
    d.text(report["name"], 22, bold=True, gap=2)
    d.text(
        report_tr("Weaving report · {date}").format(date=report["generated_on"]),
        11,
        color=MUTED,
        gap=10,
    )

    profile = report["profile"]
    d.heading(report_tr("The network"))
    for label, value in (
        (report_tr("Purpose"), profile["purpose"]),
        (report_tr("Value proposition"), profile["value_proposition"]),
        (report_tr("Stage of development"), profile["stage"].capitalize()),
    ):
        if value:
            d.text(label, 9, bold=True, color=MUTED, gap=1)
            d.text(value, 10, gap=6)
    answered = [
        q
        for q in profile["design_questions"]
        if q["answer"] and q["key"] not in ("purpose", "value_proposition")
    ]
    if not (profile["purpose"] or profile["value_proposition"] or profile["stage"] or answered):
        d.text(report_tr("No profile yet: fill it in from the Network panel."), 10, color=MUTED)

    d.heading(report_tr("Scorecard"))
    d.text(report_tr("Structure: {stage}").format(stage=report["stage"]), 11, bold=True, gap=2)
    for line in report["stage_evidence"]:
        d.text(f"• {line}", 9, color=MUTED, gap=1, indent=8)
    d.y += d.pt(6)
    snapshots = report.get("snapshots", [])
    if snapshots:
        last = snapshots[-1]
        change_header = report_tr("Since {date}").format(date=last["date"])
        if last.get("label"):
            change_header += f" ({last['label']})"
    else:
        change_header = report_tr("Change (no snapshot yet)")
    rows = [
        [
            row["measure"],
            _value(row["value"], row["key"]),
            _change(row["key"], row["value"], report),
        ]
        for row in report["scorecard"]
    ]
    d.table([report_tr("Measure"), report_tr("Now"), change_header], rows, [0.52, 0.18, 0.30])
    if report["brokers"]:
        d.text(report_tr("Top brokers"), 9, bold=True, color=MUTED, gap=1)
        d.text(", ".join(report["brokers"][:10]), 10, gap=6)

    if map_data and map_data.get("nodes"):
        d.new_page()
        d.heading(report_tr("The map"))
        side = min(d.width, d.height * 0.55)
        image = render_map(map_data)
        d.p.drawImage(QRectF((d.width - side) / 2, d.y, side, side), image)
        d.y += side + d.pt(6)
        d.text(
            report_tr(
                "Colours show communities; larger dots have more ties. Names of members who "
                "did not consent are never shown."
            ),
            8,
            color=MUTED,
            italic=True,
        )

    monthly = report.get("monthly", [])
    if len(monthly) >= 2:
        d.room(2 * d.pt(100) + d.pt(60))  # the heading never sits alone at a page's foot
        d.heading(report_tr("Over time"))
        months = [m["month"] for m in monthly]
        charts = (
            (report_tr("Members"), [m["members"] for m in monthly], False, "#0072B2"),
            (report_tr("Current relationships"), [m["ties"] for m in monthly], False, "#E69F00"),
            (report_tr("Meetings per month"), [m["meetings"] for m in monthly], True, "#009E73"),
            (
                report_tr("Met in person in the last 90 days (%)"),
                [round(100 * m["in_person_share"]) for m in monthly],
                False,
                "#CC79A7",
            ),
        )
        width = (d.width - d.pt(12)) / 2
        height = d.pt(92)
        for row in range(2):
            d.room(height + d.pt(6))
            for col in range(2):
                title, values, bars, colour = charts[2 * row + col]
                box = QRectF(col * (width + d.pt(12)), d.y, width, height)
                draw_series(d, box, title, months, values, bars, QColor(colour))
            d.y += height + d.pt(8)

    d.heading(report_tr("Suggested introductions"))
    if report["suggestions"]:
        d.table(
            [report_tr("Introduce"), report_tr("Score"), report_tr("Why")],
            [
                [f"{s['a']} + {s['b']}", f"{s['score']:.2f}", "; ".join(s["reasons"])]
                for s in report["suggestions"][:15]
            ],
            [0.32, 0.10, 0.58],
        )
    else:
        d.text(report_tr("No introductions to suggest right now."), 10, color=MUTED)

    d.heading(report_tr("Nudges"))
    kinds = (
        ("cold_tie", report_tr("Ties going cold")),
        ("no_contact", report_tr("No in-person contact in 90 days")),
        ("isolate", report_tr("Members without ties")),
        ("newcomer", report_tr("Newcomers with fewer than two ties")),
    )
    any_nudge = False
    withheld = report.get("nudges_withheld", {})
    for kind, title in kinds:
        found = [n for n in report["nudges"] if n["kind"] == kind]
        unnamed = int(withheld.get(kind, 0))
        if not found and not unnamed:
            continue
        any_nudge = True
        count = f"{len(found)}"
        if unnamed:
            # The scorecard counts them all; say why this list is shorter.
            count += report_tr(", and {n} with members who are not named").format(n=unnamed)
        d.text(f"{title} ({count})", 10, bold=True, gap=2)
        for n in found[:8]:
            d.text(f"• {n['text']}", 9, gap=1, indent=8)
        if len(found) > 8:
            d.text(
                report_tr("… and {n} more (see the spreadsheet report)").format(n=len(found) - 8),
                9,
                color=MUTED,
                indent=8,
            )
        d.y += d.pt(4)
    if not any_nudge:
        d.text(report_tr("Nothing needs attention."), 10, color=MUTED)

    if answered:
        d.heading(report_tr("Design questions"))
        for q in answered:
            d.text(q["question"], 9, bold=True, color=MUTED, gap=1)
            d.text(q["answer"], 10, gap=6)
