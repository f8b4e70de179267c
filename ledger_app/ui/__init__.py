"""The Qt GUI. The only package of ledger_app that imports Qt."""
