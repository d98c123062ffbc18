"""SQLite's query planner chooses well only with table statistics, which SQLite never gathers by
itself: without them it reads a 100,000-row ledger by the wrong index and a filtered page takes
ten times longer.

`PRAGMA optimize`, run while a connection is still open, analyses the tables that connection
used if they have no statistics yet or have grown 25-fold since, and does nothing otherwise: a
whole analysis once in a long while (a third of a second at 100,000 measures). No
`analysis_limit`: its samples are the first entries of each index, all with the same state, and
they would tell the planner that a state is as selective as a primary key.
"""

import contextlib
import sqlite3

from django.db import connection


class SQLiteStatisticsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        raw = connection.connection
        if connection.vendor == "sqlite" and raw is not None:
            # Busy with another writer: a later request will do it.
            with contextlib.suppress(sqlite3.Error):
                raw.execute("PRAGMA optimize")
        return response
