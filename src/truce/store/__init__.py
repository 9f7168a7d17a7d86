"""The embedded run store (issue 15): every simulate, durability, whatif, sensitivity, compare,
forecast, sweep, discover, backtest, tournament and report run recorded
with its scenario, seed, versions, timings and results; a DuckDB catalog over Parquet tables.

The names load on first use, so that the command line's start-up (``truce --help``) does not import
pandas or DuckDB to read the store's settings."""

from importlib import import_module

_WHERE = {
    "Catalog": "truce.store.catalog", "StoreError": "truce.store.catalog",
    "RunRecord": "truce.store.record", "write_run": "truce.store.record", "StoreSettings": "truce.store.settings",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'truce.store' has no attribute {name!r}")
