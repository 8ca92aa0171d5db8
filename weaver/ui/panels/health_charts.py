"""The Health panel's charts: one measure's trend across snapshots, and the monthly series.

Plain pyqtgraph drawing from the core's numbers; the panel owns the widgets and says when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyqtgraph as pg

from ...core.health import SCORECARD_LABELS, Health
from ...core.snapshots import Snapshot
from .health_facts import health_tr

# Okabe–Ito colours: told apart with every common colour-vision deficiency.
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"


def trend_plot() -> pg.PlotWidget:
    pg.setConfigOptions(antialias=True)
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
    plot.setBackground(None)
    plot.showGrid(x=True, y=True, alpha=0.2)
    return plot


def monthly_plot(title: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(title=title)
    plot.setBackground(None)
    plot.showGrid(x=False, y=True, alpha=0.2)
    plot.setMinimumHeight(110)
    return plot


def draw_trend(plot: pg.PlotWidget, key: str, snapshots: list[Snapshot], health: Health) -> int:
    """Plot measure ``key`` at each snapshot and now; returns how many points were drawn."""
    points = [(s.taken_on, float(s.scorecard[key])) for s in snapshots if key in s.scorecard]
    now = health.scorecard.get(key)
    if now is not None:
        points.append((health.today, float(now)))
    xs = [datetime(d.year, d.month, d.day).timestamp() for d, _ in points]
    ys = [v for _, v in points]
    plot.setTitle(health_tr(SCORECARD_LABELS[key]))
    plot.plot(xs, ys, pen=pg.mkPen(BLUE, width=2), symbol="o")
    return len(points)


def draw_monthly(plots: dict[str, pg.PlotWidget], monthly: list[dict[str, Any]]) -> None:
    """Redraw the "members", "meetings" and "in_person_share" plots from the monthly series."""
    months = [m["month"] for m in monthly]
    last = len(months) - 1
    ticks = [[(i, m) for i, m in enumerate(months) if (last - i) % 3 == 0]]
    xs = list(range(len(months)))
    for plot in plots.values():
        plot.clear()
        plot.getAxis("bottom").setTicks(ticks)
    members = plots["members"]
    members.addLegend(offset=(5, 5))
    members.plot(
        xs, [m["members"] for m in monthly], pen=pg.mkPen(BLUE, width=2), name=health_tr("members")
    )
    members.plot(
        xs,
        [m["ties"] for m in monthly],
        pen=pg.mkPen(ORANGE, width=2),
        name=health_tr("relationships"),
    )
    bars = pg.BarGraphItem(x=xs, height=[m["meetings"] for m in monthly], width=0.7, brush=GREEN)
    plots["meetings"].addItem(bars)
    share = plots["in_person_share"]
    share.plot(
        xs,
        [100 * m["in_person_share"] for m in monthly],
        pen=pg.mkPen(PURPLE, width=2),
        symbol="o",
        symbolSize=5,
    )
    share.setYRange(0, 100)
    share.setLabel("left", "%")
