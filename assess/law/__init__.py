"""The law: the case model, the Art. 1235 ledger, valuation items, routing, deadlines and liability.

No files, no text rendering, no formats: only rules decided on the case's facts and dated events.
Imports only ``factors``, ``methods`` and itself.
"""
