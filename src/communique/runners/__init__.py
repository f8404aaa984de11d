"""Runners: many inputs through :func:`communique.process.process` into a store (``ingest``,
``reprocess``, ``load``) or into partitioned Parquet on Dask (``batch``)."""
