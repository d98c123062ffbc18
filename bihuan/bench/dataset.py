"""A realistic ledger of N measures, written in bulk into an empty, migrated database.

A county with its office, 30 departments and 20 townships of 6–14 villages each; a handler in
every unit, supervisors and leaders at the county and in each township. Problems of 1–4 measures
were registered over the past eighteen months, one after another; the older a measure, the
likelier it is closed. Each measure has the history its state implies (登记, 交办, 签收, 反馈,
申请销号, 退回, 销号, 撤销), progress updates, and a few extension requests.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from bihuan.ledger.models import (
    Category,
    Cause,
    ExtensionRequest,
    Measure,
    MeasureEvent,
    Problem,
    Progress,
    Source,
)
from bihuan.org.models import Role, RoleGrant, Unit, UnitKind, User
from bihuan.workflow.models import ExtensionState
from bihuan.workflow.states import Action, DeadlineKind, FeedbackCycle, State

HISTORY_DAYS = 540
PROBLEMS_PER_TRANSACTION = 2000
# Matches about one problem in forty, like a word someone looks for.
KEYWORD = "村务公开"

DEPARTMENTS = (
    "发展和改革局", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源局", "生态环境分局", "住房和城乡建设局", "交通运输局",
    "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局",
    "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局", "信访局",
    "行政审批服务局", "城市管理局", "乡村振兴局", "数据资源局", "机关事务服务中心",
)  # fmt: skip
TOWNSHIPS = (
    "城关镇", "河西乡", "柳溪镇", "石门镇", "白云乡", "桃源镇", "青龙镇", "龙潭乡", "金山镇",
    "松岭乡", "双河镇", "凤凰镇", "马坪乡", "清水镇", "黄土岭乡", "新华镇", "三江镇", "太平乡",
    "长岗镇", "梅溪乡",
)  # fmt: skip
VILLAGE_NAMES = (
    "东关", "西关", "南街", "北苑", "河口", "柳林", "溪口", "新民", "大坪", "杨湾", "桥头",
    "龙泉", "上庄", "松树", "高山", "桃花", "李家", "红旗", "前进", "和平",
)  # fmt: skip
PROBLEMS = (
    "为民服务窗口推诿扯皮，群众办事多头跑",
    "会议多文件多，基层负担重",
    f"{KEYWORD}不及时，财务收支未按季度公示",
    "项目资金拨付滞后，影响工程进度",
    "人居环境整治不彻底，垃圾清运不及时",
    "信访件办理超期，回访不到位",
    "安全生产隐患排查流于形式",
    "干部作风不实，调研走访走过场",
    "惠民补贴发放审核把关不严",
    "公务用车管理不规范，派车登记不全",
    "政府采购程序不规范，询价记录缺失",
    "河道巡查记录不全，河长制落实不到位",
    "基层党组织“三会一课”记录不规范",
    "12345热线工单回复质量不高",
    "农村危房改造验收把关不严",
    "校园周边交通秩序混乱，隐患整改慢",
    "食品安全日常监管覆盖不全",
    "耕地保护责任落实不到位，存在撂荒现象",
    "办公用房超标准配置未整改到位",
    "防汛物资储备不足，台账不清",
    "乡村振兴项目后续管护缺位",
    "执法记录仪使用不规范，证据留存不全",
    "重点项目审批材料反复退补",
    "低保动态管理不及时，存在错保漏保",
    "集体经济合同管理混乱，租金收缴不及时",
    "医保基金使用监管存在漏洞",
    "疫苗冷链记录不完整",
    "网格员队伍管理松散，考核走形式",
    "民生实事项目推进缓慢",
    "营商环境投诉办理不及时",
    "档案管理不规范，重要资料缺失",
    "公共场所消防设施损坏未及时修复",
    "扶贫资产台账与实物不符",
    "基层站所值班值守制度执行不严",
    "工程项目变更签证不规范",
    "社区养老服务站设施闲置",
    "林地管护巡查不到位，偷砍盗伐时有发生",
    "便民服务中心线上办件比例低",
    "村（社区）干部坐班制度落实不到位",
    "财政专项资金绩效评价流于形式",
)
MEASURES = (
    "建立首问负责制并在服务大厅公示",
    "压减会议数量，合并同类会议，每月通报",
    "制定整改方案，明确责任人和时限",
    "开展专项检查，建立问题清单和整改台账",
    "完善制度，印发管理办法并组织学习",
    "对相关责任人进行约谈提醒",
    "每季度开展一次回头看，防止问题反弹",
    "加强业务培训，组织专题学习两次",
    "建立月调度机制，定期报送整改进展",
    "落实专人负责，按周更新工作台账",
    "补齐缺失资料，规范归档管理",
    "开展满意度回访，结果纳入年度考核",
    "引入第三方评估，形成评估报告",
    "公开监督电话，接受群众监督",
    "全面排查同类问题，举一反三",
)
CAUSES = (
    "宗旨意识淡薄，为民服务理念树得不牢",
    "制度执行不严，监督检查不到位",
    "责任压得不实，层层传导压力不够",
    "业务能力不足，学习培训不够",
    "形式主义、官僚主义作风仍然存在",
)
LEADS = ("县委副书记", "常务副县长", "分管副县长", "镇党委书记", "乡长", "局长")
RETURN_REASONS = ("佐证材料不全，请补充", "整改不彻底，请继续整改", "群众仍有反映，请核实")
# How a measure ends up, by how many days ago its problem was registered.
OUTCOMES = (
    (3, {State.DRAFT: 25, State.PENDING: 55, State.IN_PROGRESS: 15, State.CANCELLED: 5}),
    (
        14,
        {
            State.DRAFT: 5,
            State.PENDING: 15,
            State.IN_PROGRESS: 55,
            State.SUBMITTED: 15,
            State.CLOSED: 5,
            State.CANCELLED: 5,
        },
    ),
    (
        60,
        {
            State.PENDING: 4,
            State.IN_PROGRESS: 45,
            State.SUBMITTED: 12,
            State.CLOSED: 34,
            State.CANCELLED: 5,
        },
    ),
    (
        HISTORY_DAYS + 1,
        {
            State.PENDING: 2,
            State.IN_PROGRESS: 25,
            State.SUBMITTED: 6,
            State.CLOSED: 62,
            State.CANCELLED: 5,
        },
    ),
)
SOURCES = {
    Source.MEETING: 25,
    Source.INSPECTION: 15,
    Source.SUPERVISION: 25,
    Source.AUDIT: 5,
    Source.PUBLIC: 15,
    Source.VISIT: 5,
    Source.SELF: 10,
}


@dataclass(frozen=True)
class Cast:
    """Whom the pages are seen as, and what they open."""

    supervisor: User  # the county's supervisor: sees everything
    leader: User
    handler: User  # a township's handler: sees the township and its villages
    township: Unit
    problem_id: int  # a county problem with four measures and their histories
    keyword: str = KEYWORD


@dataclass
class Organisation:
    county: Unit
    departments: list[Unit]
    townships: list[Unit]
    villages: dict[int, list[Unit]]
    handler: dict[int, User]
    supervisors: list[User]
    leaders: list[User]
    township_secretary: dict[int, User] = field(default_factory=dict)


def ledger_build(*, measures: int, now: dt.datetime, seed: int = 2024) -> Cast:
    """Fill an empty ledger with `measures` measures as of `now`; deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    org = _organisation(rng, now=now)
    categories = list(Category.objects.filter(is_active=True))
    sizes = _problem_sizes(rng, measures)
    writer = _Writer(rng, org=org, categories=categories, now=now)
    for start in range(0, len(sizes), PROBLEMS_PER_TRANSACTION):
        chunk = sizes[start : start + PROBLEMS_PER_TRANSACTION]
        with transaction.atomic():
            writer.write(start, chunk, total=len(sizes))
    writer.finish()
    return Cast(
        supervisor=org.supervisors[0],
        leader=org.leaders[0],
        handler=org.handler[org.townships[0].pk],
        township=org.townships[0],
        problem_id=writer.showcase_problem_id or Problem.objects.order_by("pk").first().pk,
    )


def _problem_sizes(rng: random.Random, measures: int) -> list[int]:
    sizes: list[int] = []
    left = measures
    while left > 0:
        size = min(left, rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0])
        sizes.append(size)
        left -= size
    return sizes


def _organisation(rng: random.Random, *, now: dt.datetime) -> Organisation:
    county = Unit.objects.add(name="青山县", kind=UnitKind.COUNTY)
    office = Unit.objects.add(
        name="中共青山县委办公室", short_name="县委办", kind=UnitKind.DEPARTMENT, parent=county
    )
    departments = [office] + [
        Unit.objects.add(name=f"青山县{name}", kind=UnitKind.DEPARTMENT, parent=county)
        for name in DEPARTMENTS
    ]
    townships = [
        Unit.objects.add(name=name, kind=UnitKind.TOWNSHIP, parent=county) for name in TOWNSHIPS
    ]
    villages = {
        township.pk: [
            Unit.objects.add(name=f"{name}村", kind=UnitKind.VILLAGE, parent=township)
            for name in rng.sample(VILLAGE_NAMES, rng.randint(6, 14))
        ]
        for township in townships
    }
    people: list[tuple[User, tuple[str, ...]]] = []
    unusable = make_password(None)

    def person(username: str, name: str, unit: Unit, *roles: str) -> User:
        user = User(
            username=username,
            name=name,
            unit=unit,
            password=unusable,
            must_change_password=False,
            password_changed_at=now,
        )
        people.append((user, roles))
        return user

    supervisors = [person(f"ducha{n}", f"督查员{n}", county, Role.SUPERVISOR) for n in (1, 2, 3)]
    leaders = [person(f"lingdao{n}", f"县领导{n}", county, Role.LEADER) for n in (1, 2)]
    handler: dict[int, User] = {}
    secretary: dict[int, User] = {}
    for n, unit in enumerate(departments):
        handler[unit.pk] = person(f"bumen{n}", f"{unit.name}承办人", unit, Role.HANDLER)
        person(f"bumen{n}gb", f"{unit.name}干部", unit, Role.CADRE)
    for n, unit in enumerate(townships):
        handler[unit.pk] = person(f"xiangzhen{n}", f"{unit.name}承办人", unit, Role.HANDLER)
        secretary[unit.pk] = person(
            f"xiangzhen{n}sj", f"{unit.name}书记", unit, Role.SUPERVISOR, Role.LEADER
        )
        person(f"xiangzhen{n}gb", f"{unit.name}干部", unit, Role.CADRE)
        for m, village in enumerate(villages[unit.pk]):
            handler[village.pk] = person(
                f"cun{n}_{m}", f"{village.name}文书", village, Role.HANDLER
            )
    User.objects.bulk_create([user for user, _ in people])
    RoleGrant.objects.bulk_create(
        RoleGrant(user=user, role=role) for user, roles in people for role in roles
    )
    return Organisation(
        county=county,
        departments=departments,
        townships=townships,
        villages=villages,
        handler=handler,
        supervisors=supervisors,
        leaders=leaders,
        township_secretary=secretary,
    )


class _Table:
    """Rows of one model, written with one `executemany` per batch: the ORM's per-object work
    would take most of the build's time. Each row is a dict by column attribute name; missing
    ones take the field's default."""

    def __init__(self, model) -> None:
        ops, quote = connection.ops, connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields]
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
        self.adapt = {
            f.attname: ops.adapt_datetimefield_value
            if isinstance(f, models.DateTimeField)
            else ops.adapt_datefield_value
            for f in fields
            if isinstance(f, models.DateField)
        }
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = quote(model._meta.db_table)
        # Names from the model's own metadata, values as parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        self.model = model
        self.rows: list[tuple] = []
        self.next_id = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def add(self, **row) -> int:
        row_id = row["id"] = self.next_id
        self.next_id += 1
        values = []
        for name in self.names:
            value = row.get(name, self.defaults[name])
            if value is not None and name in self.adapt:
                value = self.adapt[name](value)
            values.append(value)
        self.rows.append(tuple(values))
        return row_id

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), 5000):
                cursor.executemany(self.sql, self.rows[start : start + 5000])
        self.rows = []


def _reset_sequences(tables: list[_Table]) -> None:
    """PostgreSQL's sequences know nothing of the keys written above; SQLite's do."""
    statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@dataclass
class _Story:
    """What is known of a measure while its history is planned."""

    id: int
    row: dict
    events: int = 0


class _Writer:
    """Plans problems and their measures' histories, then writes each table in bulk."""

    def __init__(self, rng, *, org: Organisation, categories, now: dt.datetime) -> None:
        self.rng = rng
        self.org = org
        self.categories = [category.pk for category in categories]
        self.now = now
        self.showcase_problem_id: int | None = None
        self.all_villages = [v for vs in org.villages.values() for v in vs]
        self.owners = org.departments + org.townships
        self.problems = _Table(Problem)
        self.causes = _Table(Cause)
        self.measures = _Table(Measure)
        self.events = _Table(MeasureEvent)
        self.progress = _Table(Progress)
        self.extensions = _Table(ExtensionRequest)
        self.tables = [
            self.problems,
            self.causes,
            self.measures,
            self.events,
            self.progress,
            self.extensions,
        ]

    def write(self, first: int, sizes: list[int], *, total: int) -> None:
        rng = self.rng
        for offset, size in enumerate(sizes):
            # Registered one after another: the first problem is the oldest.
            age = HISTORY_DAYS * (1 - (first + offset) / total)
            created = self.now - dt.timedelta(days=age, minutes=rng.randint(0, 600))
            problem_id, unit, supervisor, owner_units = self._problem(created, size)
            for order, text in enumerate(rng.sample(CAUSES, rng.randint(1, 3))):
                self.causes.add(problem_id=problem_id, text=text, order=order)
            for seq, owner_unit in enumerate(owner_units, start=1):
                self._measure(problem_id, seq, owner_unit, created, supervisor)
            if (
                self.showcase_problem_id is None
                and size == 4
                and unit == self.org.county
                and 60 <= age <= 120
            ):
                self.showcase_problem_id = problem_id
        for table in self.tables:
            table.flush()

    def finish(self) -> None:
        _reset_sequences(self.tables)

    def _problem(self, created: dt.datetime, size: int):
        rng, org = self.rng, self.org
        kind = rng.choices(("county", "department", "township", "village"), (20, 30, 35, 15))[0]
        if kind == "county":
            unit = org.county
            owners = [rng.choice(self.owners) for _ in range(size)]
        elif kind == "department":
            unit = rng.choice(org.departments)
            owners = [unit] * size
        elif kind == "township":
            unit = rng.choice(org.townships)
            villages = org.villages[unit.pk]
            owners = [unit if rng.random() < 0.6 else rng.choice(villages) for _ in range(size)]
        else:
            unit = rng.choice(self.all_villages)
            owners = [unit] * size
        supervisor = self._supervisor_for(unit)
        problem_id = self.problems.add(
            source=rng.choices(list(SOURCES), list(SOURCES.values()))[0],
            category_id=rng.choice(self.categories),
            description=f"{unit.name}{rng.choice(PROBLEMS)}",
            unit_id=unit.pk,
            target="问题全部整改到位，群众满意度明显提升",
            standard="建立长效机制，同类问题不再发生",
            created_at=created,
            created_by_id=supervisor.pk,
        )
        return problem_id, unit, supervisor, owners

    def _supervisor_for(self, unit: Unit) -> User:
        township_pk = int(unit.path.strip("/").split("/")[1]) if unit.depth >= 1 else None
        secretary = self.org.township_secretary.get(township_pk)
        return secretary if secretary is not None else self.rng.choice(self.org.supervisors)

    def _event(self, story: _Story, at, actor: User, action, before, after, comment="") -> None:
        story.events += 1
        self.events.add(
            measure_id=story.id,
            at=at,
            actor_id=actor.pk,
            action=action,
            from_state=before,
            to_state=after,
            comment=comment,
        )

    def _later(self, moment: dt.datetime, days: float) -> dt.datetime:
        """A moment up to `days` after `moment`, never in the future."""
        return min(moment + dt.timedelta(seconds=self.rng.uniform(60, days * 86400)), self.now)

    def _measure(self, problem_id, seq, unit: Unit, created, supervisor: User) -> None:
        rng, now = self.rng, self.now
        age = (now - created).days
        weights = next(weights for limit, weights in OUTCOMES if age <= limit)
        outcome = rng.choices(list(weights), list(weights.values()))[0]
        handler = self.org.handler[unit.pk]
        kind = rng.choices(
            (DeadlineKind.DATE, DeadlineKind.WORKING_DAYS, DeadlineKind.ONGOING), (70, 15, 15)
        )[0]
        row = {
            "problem_id": problem_id,
            "seq": seq,
            "text": rng.choice(MEASURES),
            "lead": rng.choice(LEADS),
            "owner_unit_id": unit.pk,
            "owner_id": handler.pk if rng.random() < 0.5 else None,
            "state": outcome,
            "deadline_kind": kind,
            "created_at": created,
            "created_by_id": supervisor.pk,
        }
        if kind == DeadlineKind.ONGOING:
            row["feedback_cycle"] = rng.choice(FeedbackCycle.values)
        elif kind == DeadlineKind.WORKING_DAYS:
            row["deadline_working_days"] = rng.choice((5, 10, 15, 20, 30))
        story = _Story(id=self.measures.next_id, row=row)
        self._event(story, created, supervisor, Action.CREATE, State.DRAFT, State.DRAFT)
        if outcome == State.DRAFT:
            if rng.random() < 0.3:
                row.update(deadline_kind=DeadlineKind.UNSET, feedback_cycle="")
                row.pop("deadline_working_days", None)
            elif kind == DeadlineKind.DATE:
                row["deadline"] = now.date() + dt.timedelta(days=rng.randint(20, 90))
        else:
            assigned = self._later(created, 2)
            row["assigned_at"] = assigned
            row["deadline"] = row["original_deadline"] = self._deadline(row, assigned, outcome)
            self._event(story, assigned, supervisor, Action.ASSIGN, State.DRAFT, State.PENDING)
            if outcome == State.CANCELLED and rng.random() < 0.5:
                self._cancel(story, assigned, supervisor, State.PENDING)
            elif outcome != State.PENDING:
                self._work(story, handler, supervisor, outcome)
        # Every write bumps the version and leaves one history entry.
        row["version"] = story.events
        self.measures.add(**row)

    def _deadline(self, row: dict, assigned: dt.datetime, outcome: str) -> dt.date | None:
        rng = self.rng
        start = assigned.date()
        if row["deadline_kind"] == DeadlineKind.ONGOING:
            return None
        if row["deadline_kind"] == DeadlineKind.WORKING_DAYS:
            return start + dt.timedelta(days=row["deadline_working_days"] * 7 // 5 + 1)
        earliest = start + dt.timedelta(days=10)
        if outcome in (State.PENDING, State.IN_PROGRESS):
            # Still open: about a third of them past their deadline.
            return max(earliest, self.now.date() + dt.timedelta(days=rng.randint(-60, 150)))
        return start + dt.timedelta(days=rng.choice((15, 30, 45, 60, 90, 120, 180)))

    def _cancel(self, story: _Story, after: dt.datetime, by: User, state: str) -> None:
        at = self._later(after, 20)
        self._event(story, at, by, Action.CANCEL, state, State.CANCELLED, "工作调整，不再整改")

    def _work(self, story: _Story, handler: User, supervisor: User, outcome: str) -> None:
        rng, row = self.rng, story.row
        acknowledged = self._later(row["assigned_at"], rng.choice((0.5, 0.5, 1, 1, 2, 3, 5)))
        row["acknowledged_at"] = acknowledged
        row["acknowledged_on_time"] = (acknowledged.date() - row["assigned_at"].date()).days <= 1
        self._event(
            story, acknowledged, handler, Action.ACKNOWLEDGE, State.PENDING, State.IN_PROGRESS
        )
        row["last_feedback_at"] = last = acknowledged
        if outcome == State.CANCELLED:
            self._cancel(story, acknowledged, supervisor, State.IN_PROGRESS)
            return
        submits = outcome in (State.SUBMITTED, State.CLOSED)
        if submits and row["deadline"] is not None:
            span = max((row["deadline"] - acknowledged.date()).days, 1)
            end = self._later(acknowledged, span * rng.uniform(0.2, 1.15))
        elif submits:
            end = self._later(acknowledged, 180)
        else:
            end = self.now
        updates = rng.choice((0, 1, 1, 2, 3))
        if row["deadline_kind"] == DeadlineKind.ONGOING:
            updates = rng.randint(1, 5)
        for at in sorted(
            acknowledged + (end - acknowledged) * rng.random() for _ in range(updates)
        ):
            self.progress.add(
                measure_id=story.id, author_id=handler.pk, at=at, text="按计划推进，已完成阶段任务"
            )
            self._event(story, at, handler, Action.PROGRESS, State.IN_PROGRESS, State.IN_PROGRESS)
            last = at
        if row["deadline"] is not None and rng.random() < 0.08:
            self._extension(story, handler, supervisor, last, end, still_open=not submits)
        if submits and rng.random() < 0.15:
            returned = self._later(last, 3)
            self._event(story, last, handler, Action.SUBMIT, State.IN_PROGRESS, State.SUBMITTED)
            reason = rng.choice(RETURN_REASONS)
            self._event(
                story,
                returned,
                supervisor,
                Action.RETURN,
                State.SUBMITTED,
                State.IN_PROGRESS,
                reason,
            )
            last = returned
        row["last_feedback_at"] = last
        if not submits:
            return
        submitted = max(end, last)
        on_time = row["deadline"] is None or submitted.date() <= row["deadline"]
        row.update(submitted_at=submitted, submitted_on_time=on_time, last_feedback_at=submitted)
        self._event(story, submitted, handler, Action.SUBMIT, State.IN_PROGRESS, State.SUBMITTED)
        if outcome == State.CLOSED:
            closed = self._later(submitted, 5)
            row.update(closed_at=closed, closed_on_time=on_time)
            reviewer = rng.choice([*self.org.leaders, supervisor])
            self._event(story, closed, reviewer, Action.CLOSE, State.SUBMITTED, State.CLOSED)

    def _extension(self, story: _Story, handler, supervisor, after, before, *, still_open) -> None:
        rng, row = self.rng, story.row
        asked = after + (before - after) * rng.random()
        extension = {
            "measure_id": story.id,
            "requested_by_id": handler.pk,
            "requested_at": asked,
            "current_deadline": row["deadline"],
            "new_deadline": row["deadline"] + dt.timedelta(days=rng.choice((15, 30, 45))),
            "reason": "涉及跨部门协调，需延长整改时限",
        }
        state = State.IN_PROGRESS
        self._event(story, asked, handler, Action.EXTENSION_REQUEST, state, state)
        if not (still_open and rng.random() < 0.4):
            decided = min(self._later(asked, 3), before) if before > asked else asked
            approve = rng.random() < 0.7
            extension.update(
                state=ExtensionState.APPROVED if approve else ExtensionState.REFUSED,
                decided_by_id=supervisor.pk,
                decided_at=decided,
                decision_comment="同意" if approve else "理由不充分",
            )
            action = Action.EXTENSION_APPROVE if approve else Action.EXTENSION_REFUSE
            self._event(story, decided, supervisor, action, state, state)
            if approve:
                row["deadline"] = extension["new_deadline"]
        self.extensions.add(**extension)
