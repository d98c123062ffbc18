"""bihuan ledger import|export: 整改台账 files in and out from the command line."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bihuan.errors import DomainError
from bihuan.org.models import Unit, User
from bihuan.tabular import contract_json
from bihuan.workflow.models import load_calendar
from bihuan.workflow.states import State

from ...exporting import ledger_export
from ...import_files import (
    batch_commit,
    batch_plan,
    check_import_size,
    import_upload,
    name_map_unit,
    parse_ledger_file,
)
from ...importing import ImportOptions, import_plan
from ...models import Category, Source
from ...selectors import LedgerFilters


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件 {path}。")
    check_import_size(file.stat().st_size)
    return file.read_bytes()


def _user(username: str) -> User:
    try:
        return User.objects.select_related("unit").get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"没有启用的账号“{username}”。") from None


def _unit(name: str | None, user: User) -> Unit:
    if not name:
        if user.unit is None:
            raise CommandError(f"{user} 没有所属单位，请用 --unit 指定问题的责任主体。")
        return user.unit
    units = list(Unit.objects.visible_to(user).filter(name=name)) or list(
        Unit.objects.visible_to(user).filter(short_name=name)
    )
    if len(units) != 1:
        raise CommandError(f"在 {user} 的管理范围内找不到唯一的单位“{name}”。")
    return units[0]


def _filter_unit(name: str, user: User | None) -> Unit:
    if user is not None:
        return _unit(name, user)
    units = list(Unit.objects.filter(name=name)) or list(Unit.objects.filter(short_name=name))
    if len(units) != 1:
        raise CommandError(f"找不到唯一的单位“{name}”。")
    return units[0]


def _state(value: str) -> str:
    for code, label in State.choices:
        if value in (code, label):
            return code
    choices = "、".join(f"{code}（{label}）" for code, label in State.choices)
    raise CommandError(f"未知的状态“{value}”，可选：{choices}。")


def _source(value: str) -> str:
    for code, label in Source.choices:
        if value in (code, label):
            return code
    choices = "、".join(f"{code}（{label}）" for code, label in Source.choices)
    raise CommandError(f"未知的问题来源“{value}”，可选：{choices}。")


def _category(name: str | None) -> Category:
    categories = Category.objects.filter(is_active=True)
    category = categories.filter(name=name).first() if name else categories.first()
    if category is None:
        raise CommandError(f"没有启用的问题类别“{name or ''}”。")
    return category


def _issue_line(issue) -> str:
    column = f"「{issue.column}」" if issue.column else ""
    level = "错误" if issue.blocking else "提示"
    return f"{level} {issue.sheet} 第{issue.row}行{column}：{issue.message}"


class Command(BaseCommand):
    help = "整改台账导入导出：import 文件（.xlsx/.xls/.ods/.csv）；export --out 文件.xlsx。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="import|export")
        importing = actions.add_parser("import", help="导入台账文件")
        importing.add_argument("file")
        importing.add_argument("--dry-run", action="store_true", help="只检查、预览，不写入")
        importing.add_argument("--format", choices=["text", "json"], default="text")
        importing.add_argument("--as", dest="username", help="以该督查员身份导入（正式导入必填）")
        importing.add_argument("--unit", help="问题的责任主体（单位名称），默认导入人所在单位")
        importing.add_argument("--source", default=Source.SELF, help="问题来源，默认“自查”")
        importing.add_argument("--category", help="台账没有类别时使用的问题类别")
        importing.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="台账写法=单位名称",
            help="把台账中的单位名称对应到系统中的单位（记住，下次自动使用）",
        )
        exporting = actions.add_parser("export", help="导出整改台账为 Excel")
        exporting.add_argument("--out", required=True, help="输出文件，如 台账.xlsx")
        exporting.add_argument("--as", dest="username", help="只导出该账号能看到的（默认全部）")
        exporting.add_argument("--unit", help="只导出该责任单位（含下级）")
        exporting.add_argument("--state", help="只导出该状态，如 in_progress 或 整改中")
        exporting.add_argument("--category", help="只导出该问题类别")
        exporting.add_argument("--keyword", default="", help="问题或措施包含的关键词")

    def handle(self, *, action: str, **options):
        try:
            if action == "import":
                self._import(**options)
            else:
                self._export(**options)
        except DomainError as error:
            raise CommandError(error.message) from None

    def _import(self, *, file, dry_run, format, username, unit, source, category, map, **_):
        data = _read(file)
        now = timezone.now()
        name = Path(file).name
        if username is None:
            if not dry_run:
                raise CommandError("正式导入须用 --as 指定督查员账号（或加 --dry-run 只预览）。")
            ledger = parse_ledger_file(data, filename=name, today=timezone.localdate(now))
            self._print_ledger(ledger, format=format)
            return
        user = _user(username)
        for pair in map:
            text, _, target = pair.partition("=")
            if not text.strip() or not target.strip():
                raise CommandError(f"--map 应写成“台账写法=单位名称”，而不是“{pair}”。")
            name_map_unit(text=text, unit=_unit(target.strip(), user), by=user, now=now)
        unit, source, category = _unit(unit, user), _source(source), _category(category)
        calendar = load_calendar()
        if dry_run:
            ledger = parse_ledger_file(data, filename=name, today=timezone.localdate(now))
            options = ImportOptions(unit=unit, source=source, category=category, file_name=name)
            plan = import_plan(ledger=ledger, by=user, options=options, now=now, calendar=calendar)
            self._print_plan(plan, format=format)
            return
        batch = import_upload(
            data=data, filename=name, by=user, now=now, unit=unit, source=source, category=category
        )
        plan = batch_plan(batch, now=now, calendar=calendar, data=data)
        if not plan.is_committable:
            self._print_plan(plan, format="text")
            blocking = sum(issue.blocking for issue in plan.issues)
            raise CommandError(f"台账有 {blocking} 处错误，没有导入任何内容；改正后重试。")
        result = batch_commit(batch=batch, by=user, now=now, calendar=calendar)
        self.stdout.write(
            f"已导入《{name}》：新增问题 {result['problems_new']} 个、措施 {result['measures_new']} 条，"
            f"更新措施 {result['measures_updated']} 条，未变 {result['measures_unchanged']} 条。"
        )

    def _print_ledger(self, ledger, *, format: str) -> None:
        if format == "json":
            self.stdout.write(json.dumps(contract_json(ledger), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{ledger.title or '台账'}：问题 {len(ledger.problems)} 个，措施 {ledger.measure_count()} 条"
        )
        for issue in ledger.issues:
            self.stdout.write(_issue_line(issue))

    def _print_plan(self, plan, *, format: str) -> None:
        counts = plan.counts()
        if format == "json":
            body = contract_json(plan.ledger) | {
                "plan": counts,
                "unmatched_units": sorted(plan.unmatched_units),
                "unmatched_people": sorted(plan.unmatched_people),
            }
            body["errors"] = [
                {
                    "sheet": i.sheet,
                    "row": i.row,
                    "column": i.column,
                    "message": i.message,
                    "blocking": i.blocking,
                }
                for i in plan.issues
            ]
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"将新增问题 {counts['problems_new']} 个、措施 {counts['measures_new']} 条，"
            f"更新措施 {counts['measures_updated']} 条，未变 {counts['measures_unchanged']} 条。"
        )
        for name, places in plan.unmatched_units.items():
            where = "、".join(f"{sheet}第{row}行" for sheet, row in places[:5])
            self.stdout.write(f'找不到单位“{name}”（{where}）：用 --map "{name}=单位名称" 对应')
        for name in plan.unmatched_people:
            self.stdout.write(f"提示 找不到账号“{name}”：按文字保留为责任人")
        for issue in plan.issues:
            self.stdout.write(_issue_line(issue))

    def _export(self, *, out, username, unit, state, category, keyword, **_):
        user = _user(username) if username else None
        filters = LedgerFilters(
            unit=_filter_unit(unit, user) if unit else None,
            state=_state(state) if state else "",
            category=_category(category).pk if category else None,
            keyword=keyword,
        )
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"导出文件应以 .xlsx 结尾，而不是“{path.name}”。")
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在。")
        partial = path.with_name(f".{path.name}.part")
        try:
            rows = ledger_export(user=user, filters=filters, now=timezone.now(), out=str(partial))
            # A reader never sees half a workbook: the file appears when it is complete.
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"已导出 {rows} 条整改措施到 {path}。")
