"""The interactive network map (pyqtgraph layers fed by ``weaver.core.mapdata`` arrays)."""

from .widget import MapWidget

__all__ = ["MapWidget"]
