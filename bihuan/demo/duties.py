"""The demo county's village and community duty lists (四张清单), a few entries of each, as a
county's 基层减负 office publishes them; tasks assigned to 东关社区 or 西河村 are checked
against them."""

import datetime as dt

from bihuan.duties.models import DutyEntry, DutyKind, DutyLevel

# (kind, name, basis) for both levels; the community lists add their own below.
SHARED = (
    (
        DutyKind.AUTONOMY,
        "村（居）规民约的制定和修订",
        "《中华人民共和国村民委员会组织法》第二十七条",
    ),
    (DutyKind.AUTONOMY, "村（居）务公开和民主评议", "《中华人民共和国村民委员会组织法》第三十条"),
    (DutyKind.ASSIST, "协助开展人口普查、经济普查等统计调查", "《中华人民共和国统计法》"),
    (DutyKind.ASSIST, "协助做好征兵工作", "《征兵工作条例》"),
    (DutyKind.ASSIST, "协助开展防汛抗旱和应急避险转移", "《中华人民共和国防洪法》"),
    (DutyKind.CERTIFICATE, "出具居住证明（限本村、本社区常住人员）", ""),
    (DutyKind.CERTIFICATE, "出具亲属关系证明（无其他途径可查证时）", ""),
    (DutyKind.NEGATIVE, "招商引资、协税护税任务", "中办发〔2019〕16号"),
    (DutyKind.NEGATIVE, "安全生产、环境保护等行政执法", "中办发〔2019〕16号"),
    (DutyKind.NEGATIVE, "要求村（社区）对不属于其职责的事项出具证明", ""),
)
COMMUNITY = (
    (DutyKind.AUTONOMY, "业主委员会组建和物业管理指导", "《物业管理条例》"),
    (DutyKind.ASSIST, "协助做好城市管理和文明创建", ""),
)
VILLAGE = (
    (DutyKind.AUTONOMY, "村集体经济组织财务公开", "《中华人民共和国农村集体经济组织法》"),
    (DutyKind.ASSIST, "协助开展高标准农田建设摸底", ""),
)


def load_duty_lists(*, now: dt.datetime) -> int:
    entries = []
    for level, own in ((DutyLevel.VILLAGE, VILLAGE), (DutyLevel.COMMUNITY, COMMUNITY)):
        numbers: dict[str, int] = {}
        for kind, name, basis in (*SHARED, *own):
            numbers[kind] = numbers.get(kind, 0) + 1
            fields = {"level": level, "kind": kind, "number": numbers[kind], "name": name}
            entries.append(DutyEntry(**fields, basis=basis, created_at=now, updated_at=now))
    return len(DutyEntry.objects.bulk_create(entries))
