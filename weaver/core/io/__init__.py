"""Readers and writers, one module per format; no Qt here.

Entry points: :func:`importing.read_plan` (any file -> an :class:`plan.ImportPlan` of rows to
add/update/remove and problems, never touching the document) and :class:`plan.ApplyImportPlan`
(the undoable command that applies it in one transaction); :func:`exporting.export` (a network
-> any format, atomically).

Formats: ``xlsx_weaver_*`` (the complete record, ratings and snapshots included, update by id:
``_sheets`` the layout, ``_write`` and ``_read``),
``member_list``, ``kumu``, ``nodes_edges`` / ``nodes_edges_out`` (Gephi tables as .xlsx or a
pair of CSV files, edge and adjacency lists, matrices),
``gexf``, ``graphml``, ``csv_text``. Shared: ``tables`` (cells from files, safety first),
``safety`` (zip-bomb limits, defusedxml, formula-injection escaping), ``mapping`` (header
synonyms), ``draft`` + ``resolve`` (matching by id, then e-mail, then exact name),
``xlsx_out`` + ``xlsx_stream`` (fast, styled .xlsx writing), ``privacy``.
"""
