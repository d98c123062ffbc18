"""A parsed ledger in the JSON shape of the import contract (`--dry-run --format json`)."""

from .records import ParsedLedger, ParsedMeasure


def contract_json(ledger: ParsedLedger) -> dict:
    return {
        "problems": [
            {
                "text": problem.text,
                "category": problem.category,
                "measures": [_measure(measure) for measure in problem.measures],
            }
            for problem in ledger.problems
        ],
        "errors": [
            {
                "sheet": issue.sheet,
                "row": issue.row,
                "column": issue.column,
                "message": issue.message,
                "blocking": issue.blocking,
            }
            for issue in ledger.issues
        ],
    }


def _measure(measure: ParsedMeasure) -> dict:
    deadline = measure.deadline
    return {
        "text": measure.text,
        "lead": measure.lead,
        "owner_unit": measure.owner_unit,
        "owner": measure.owner,
        "deadline_text": deadline.text,
        "deadline": deadline.date.isoformat() if deadline.date else None,
        "ongoing": deadline.ongoing,
        "status": measure.status.value,
    }
