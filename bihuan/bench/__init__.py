"""Page benchmarks at county scale: `bihuan bench` builds a realistic ledger in a scratch
database (dataset.py) and times the pages people use most (run.py)."""
