"""Importing a 整改台账 file: plan every row against what is already in the ledger, then commit
all of it in one transaction or nothing.

A problem is the same problem when its text is (numbering and spacing aside), a measure the same
measure when its problem and text are. So importing a file twice changes nothing, a later version
of the same ledger moves states forward, corrects deadlines and adds new progress, and a file
exported from Bihuan imports back unchanged.
"""

from .commit import import_commit
from .plan import ImportOptions, ImportPlan, MeasurePlan, ProblemPlan, import_plan, text_key

__all__ = [
    "ImportOptions",
    "ImportPlan",
    "MeasurePlan",
    "ProblemPlan",
    "import_commit",
    "import_plan",
    "text_key",
]
