"""``ledger-cli``: the command line over the same services as the GUI. ``main.py`` builds the parser;
each family of commands is a module of its own, sharing ``common.py``."""
