"""One database's figures: `python -m bihuan.bench --measures N --repeat K` prints them as JSON.

`bihuan bench` runs this in a child process per database, with BIHUAN_DATA_DIR and DATABASE_URL
naming a scratch database, so the settings are read once for that database and no other.
"""

import argparse
import json
import os
import sys
import time


def _say(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bihuan.bench")
    parser.add_argument("--measures", type=int, required=True)
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    say = (lambda message: None) if args.quiet else _say
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from .dataset import ledger_build
    from .run import bench_pages

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    cast = ledger_build(measures=args.measures, now=timezone.now())
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load, before anyone reads the ledger.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    say(
        f"{connection.vendor}: migrated in {migrated - started:.1f} s, built {args.measures:,} "
        f"measures in {time.perf_counter() - migrated:.1f} s"
    )
    results = bench_pages(cast, repeat=args.repeat, progress=say)
    sys.stdout.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
