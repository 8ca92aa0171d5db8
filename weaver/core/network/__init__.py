"""The one network model every view reads from: the graph (:mod:`.graph`), its measures
(:mod:`.measures`) and the facts of the meeting log (:mod:`.facts`).

Map, Health, Weaving and the report call these same functions with the same inputs, so
communities, clusters and cold ties agree everywhere by construction.
"""
