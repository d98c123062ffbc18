"""Spreadsheets in and out of the 整改台账, in plain Python with no Django import.

`read_ledger` turns a workbook people already keep (.xlsx, .xls, .ods, .csv) into problems and
measures with parsed deadlines and states, plus every row-level issue with sheet, row and column;
`write_ledger` renders rows in the familiar layout. The ledger app adapts both to the database.
"""

from .contract import contract_json
from .table import parse_ledger, read_ledger

__all__ = ["contract_json", "parse_ledger", "read_ledger"]
