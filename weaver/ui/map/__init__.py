"""The interactive network map (pyqtgraph layers fed by ``weaver.core.mapdata`` arrays)."""
