"""整改台账: an offline rectification ledger."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("ledger-app")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
