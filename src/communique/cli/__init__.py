"""The command line: a thin layer over the library. ``app`` assembles the commands, one module
per group (``extract``, ``evaluate``, ``ingest``: ingest/reprocess/batch/load, ``query``: the
store's listings and exports, ``serve``); ``options`` holds what they share."""

from communique.cli.app import app

__all__ = ["app"]
