"""Plain-Python core of the ledger: vocabulary, deadlines, status rules, statistics.

Imports nothing from the rest of ledger_app, so every other floor can build on it.
"""
