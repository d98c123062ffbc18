"""The duty lists of the tests' world, for this app's tests and the API's."""

from types import SimpleNamespace

from bihuan.duties.models import DutyEntry, DutyKind, DutyLevel


def duty_lists(now) -> SimpleNamespace:
    """Three village lists and the negative one, and a community list of one entry."""

    def entry(level, kind, number, name, basis=""):
        return DutyEntry.objects.create(
            level=level, kind=kind, number=number, name=name, basis=basis,
            created_at=now, updated_at=now,
        )  # fmt: skip

    village = DutyLevel.VILLAGE
    return SimpleNamespace(
        charter=entry(village, DutyKind.AUTONOMY, 1, "村规民约制定和修订", "村民委员会组织法"),
        census=entry(village, DutyKind.ASSIST, 1, "协助开展人口普查"),
        residence=entry(village, DutyKind.CERTIFICATE, 1, "出具居住证明"),
        investment=entry(village, DutyKind.NEGATIVE, 1, "招商引资任务"),
        covenant=entry(DutyLevel.COMMUNITY, DutyKind.AUTONOMY, 1, "居民公约制定和修订"),
    )
