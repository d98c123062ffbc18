"""bihuan report notice|summary|ranking|campaign-summary: the UI's documents from the command
line, for scheduled jobs. A notice comes from the published ranking of the period, or, without
one, from a draft of the current figures. --period takes a campaign too (campaign-12 or its exact
name): rankings, notices and reports then count only the problems tagged with it. The campaign's
活动总结 is its own document, `campaign-summary --campaign`, read in an account's scope (--as)."""

from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.campaigns.periods import campaign_find
from bihuan.errors import DomainError
from bihuan.org.models import Unit, User
from bihuan.workflow.models import LightCutoffs, load_calendar

from ... import campaign_summary, services, summary, summary_annex
from ...exporting import ranking_export
from ...letterhead import Letterhead, default_mark
from ...notices import NoticeKind, notice_draft, notice_write
from ...periods import parse_period

SUFFIXES = {
    "ranking": (".xlsx",),
    "notice": (".docx",),
    "summary": (".docx", ".xlsx"),
    "campaign-summary": (".docx", ".xlsx"),
}


def _user(username: str) -> User:
    try:
        return User.objects.select_related("unit").get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"没有启用的账号“{username}”。") from None


def _unit(name: str | None, user: User | None) -> Unit:
    units = Unit.objects.filter(is_active=True)
    if user is not None:
        units = units.filter(pk__in=Unit.objects.visible_to(user).values("pk"))
    if not name:
        if user is not None and user.unit is not None:
            return user.unit
        roots = list(units.filter(parent__isnull=True)[:2])
        if len(roots) != 1:
            raise CommandError("请用 --unit 指定单位。")
        return roots[0]
    found = list(units.filter(name=name)[:2]) or list(units.filter(short_name=name)[:2])
    if len(found) != 1:
        where = f"{user} 的管理范围内" if user is not None else ""
        raise CommandError(f"在{where}找不到唯一的单位“{name}”。")
    return found[0]


class Command(BaseCommand):
    help = (
        "生成排名表（.xlsx）、通报（.docx）、整改落实情况报告（.docx，或其附件 .xlsx）或"
        "专项活动的活动总结（.docx，或其附件 .xlsx）："
        "report notice|summary|ranking --period 2026-11 [--unit 单位] [--as 账号] --out 文件；"
        "report campaign-summary --campaign 活动编号或名称 --as 账号 [--unit 单位] --out 文件"
    )

    def add_arguments(self, parser):
        parser.add_argument("document", choices=list(SUFFIXES))
        parser.add_argument(
            "--period",
            help="notice、summary、ranking 必填：2026-11（月）、2026-Q4（季度）、2026（年），"
            "或专项活动 campaign-12（也可写活动全称），此时只统计标注为该活动的问题",
        )
        parser.add_argument(
            "--campaign",
            help="campaign-summary 必填：专项活动编号（12 或 campaign-12）或活动全称",
        )
        parser.add_argument(
            "--unit",
            help="排名：上级单位（默认所在单位或顶级单位）；报告：报告单位；"
            "活动总结：总结单位（默认牵头单位，看不到牵头单位时为所在单位）",
        )
        parser.add_argument("--kind", help="参与排名的单位类型：township、department、village……")
        parser.add_argument(
            "--as", dest="username", help="以该账号的身份和管理范围生成（默认全部）"
        )
        parser.add_argument("--out", required=True, help="输出文件")
        parser.add_argument(
            "--type",
            dest="notice_kind",
            choices=NoticeKind.values,
            default=NoticeKind.SITUATION,
            help="通报类型：criticise 通报批评、commend 通报表扬、situation 情况通报（默认）",
        )
        parser.add_argument("--count", type=int, default=3, help="通报表扬或批评的单位数（默认 3）")
        parser.add_argument("--issuer", help="发文机关署名（默认单位名称）")
        parser.add_argument("--recipients", help="主送机关")
        parser.add_argument(
            "--case", dest="cases", type=int, action="append", default=[], help="典型案例的措施编号"
        )
        parser.add_argument(
            "--red-header",
            action="store_true",
            help="报告和活动总结按红头文件格式生成（版头、版记）；通报总是红头",
        )
        parser.add_argument(
            "--mark", help="发文机关标志（红头），默认：通报为发文机关，报告为“发文机关文件”"
        )
        parser.add_argument("--number", default="", help="发文字号，如 青办发〔2026〕12号")
        parser.add_argument("--copies-to", default="", help="版记中的抄送机关")
        parser.add_argument("--printer", default="", help="版记中的印发机关（默认发文机关）")

    def handle(self, *, document, period, unit, kind, username, out, **options):
        if document == "campaign-summary" and not options["campaign"]:
            raise CommandError("campaign-summary 需要 --campaign（活动编号或名称）。")
        if document != "campaign-summary" and not period:
            raise CommandError(
                f"{document} 需要 --period（如 2026-11、2026-Q4、2026 或 campaign-12）。"
            )
        path = Path(out)
        if path.suffix.lower() not in SUFFIXES[document]:
            raise CommandError(
                f"{document} 的输出文件应以 {' 或 '.join(SUFFIXES[document])} 结尾。"
            )
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在。")
        user = _user(username) if username else None
        now = timezone.now()
        cutoffs = LightCutoffs(now=now, calendar=load_calendar())
        partial = path.with_name(f".{path.name}.part")
        try:
            if document == "campaign-summary":
                period, unit = None, _unit(unit, user) if unit else None
            else:
                period, unit = parse_period(period, user=user), _unit(unit, user)
            write = getattr(self, f"_{document.replace('-', '_')}")
            message = write(
                user=user, period=period, unit=unit, kind=kind, cutoffs=cutoffs, now=now,
                out=str(partial), xlsx=path.suffix.lower() == ".xlsx", **options,
            )  # fmt: skip
            # A reader never sees half a file: it appears when it is complete.
            partial.replace(path)
        except DomainError as error:
            raise CommandError(error.message) from None
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"{message}：{path}")

    def _table(self, *, user, period, unit, kind, cutoffs):
        kind = kind or services.default_kind(unit)
        return services.published_or_draft(
            user=user, period=period, parent=unit, kind=kind, cutoffs=cutoffs
        )

    @staticmethod
    def _basis(table) -> str:
        return "依据已发布的排名" if not table.is_draft else "依据当前数据的排名草稿"

    def _ranking(self, *, user, period, unit, kind, cutoffs, now, out, **_):
        table = self._table(user=user, period=period, unit=unit, kind=kind, cutoffs=cutoffs)
        ranking_export(table=table, by=user, now=now, out=out)
        return f"已导出{table.group_label}排名（{self._basis(table)}）"

    def _notice(self, *, user, period, unit, kind, cutoffs, now, out, **options):
        table = self._table(user=user, period=period, unit=unit, kind=kind, cutoffs=cutoffs)
        issuer = options["issuer"] or (user.unit.name if user and user.unit else unit.name)
        draft = notice_draft(
            table,
            kind=options["notice_kind"],
            count=options["count"],
            issuer=issuer,
            today=cutoffs.today,
        )
        draft = replace(
            draft,
            recipients=options["recipients"] or draft.recipients,
            mark=options["mark"] or draft.mark,
            number=options["number"],
            copies_to=options["copies_to"],
            printer=options["printer"] or draft.printer,
        )
        notice_write(table=table, draft=draft, by=user, now=now, out=out)
        return f"已生成{NoticeKind(draft.kind).label}（{self._basis(table)}）"

    def _summary(self, *, user, period, unit, cutoffs, now, out, xlsx, **options):
        report = summary.report_data(
            user=user, unit=unit, period=period, cutoffs=cutoffs, case_ids=options["cases"]
        )
        if xlsx:
            summary_annex.annex_write(user=user, report=report, now=now, out=out)
            return "已生成整改落实情况报告附件"
        issuer = options["issuer"] or unit.name
        summary.report_write(
            user=user,
            report=report,
            now=now,
            out=out,
            recipients=options["recipients"] or summary.default_recipients(unit),
            issuer=issuer,
            letterhead=self._letterhead(issuer, options),
        )
        return "已生成整改落实情况报告"

    @staticmethod
    def _letterhead(issuer: str, options) -> Letterhead | None:
        if not options["red_header"]:
            return None
        return Letterhead(
            mark=options["mark"] or default_mark(issuer),
            number=options["number"],
            copies_to=options["copies_to"],
            printer=options["printer"],
        )

    def _campaign_summary(self, *, user, unit, cutoffs, now, out, xlsx, **options):
        if user is None:
            raise CommandError("活动总结按账号的管理范围统计，请用 --as 指定账号。")
        campaign = campaign_find(options["campaign"], user)
        unit = unit or campaign_summary.summary_unit(campaign, user)
        found = campaign_summary.campaign_summary_data(
            user=user,
            campaign=campaign,
            unit=unit,
            cutoffs=cutoffs,
            calendar=load_calendar(),
            case_ids=options["cases"],
        )
        if xlsx:
            campaign_summary.summary_annex_write(user=user, summary=found, now=now, out=out)
            return "已生成活动总结附件"
        draft = campaign_summary.summary_draft(found, issuer=options["issuer"] or "")
        draft = replace(
            draft,
            recipients=options["recipients"] or draft.recipients,
            letterhead=self._letterhead(draft.issuer, options),
        )
        campaign_summary.summary_write(user=user, summary=found, draft=draft, now=now, out=out)
        return "已生成活动总结"
