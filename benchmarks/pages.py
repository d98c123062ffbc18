"""Page latency at county scale: the same as `bihuan bench`, runnable from a checkout.

python benchmarks/pages.py [--measures 100000] [--repeat 20] [--format json]
                           [--database postgres://postgres@127.0.0.1:5432/] [--only sqlite]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bihuan.cli import main

if __name__ == "__main__":
    main(["bench", *sys.argv[1:]])
