"""Wiring of the valuation methods into the case model and the ledger.

Each module here defines, for one method, the pydantic model of a damage item's ``inputs`` (what a
case file says) and its evaluator, which checks units at the boundary, calls the pure kernel in
:mod:`methods` (or the exact Decimal path for plain products), and returns ledger line items with
their trace.  :mod:`assess.law.case` builds the ``damage_items`` union from :data:`METHOD_ITEMS`.
"""
