"""The demo's 督办事项: leaders' instructions and meeting decisions, each with a lead unit and
partner units, driven through the real services into every state the 督办台账 shows."""

import datetime as dt

from django.utils import timezone

from bihuan.supervision.models import Source, SupervisionItem
from bihuan.supervision.services import (
    ItemSpec,
    escalate,
    extension_request,
    item_create,
    partner_acknowledge,
    partner_report,
    progress_post,
)
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import DeadlineKind, FeedbackCycle

from .county import County


class SupervisionLoader:
    def __init__(self, *, county: County, now: dt.datetime, calendar: WorkCalendar) -> None:
        self.county = county
        self.calendar = calendar
        self.today = timezone.localdate(now)
        self.now = now
        departments = {unit.short_name: unit for unit in county.departments}
        townships = {unit.name: unit for unit in county.townships}
        self.units = departments | townships

    def at(self, working_days_ago: int, hour: int = 9, minute: int = 0) -> dt.datetime:
        day = self.calendar.subtract_working_days(self.today, working_days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def day(self, working_days_ago: int) -> dt.date:
        return self.calendar.subtract_working_days(self.today, working_days_ago)

    def create(self, *, ago: int, lead: str, partners: tuple[str, ...], assign=True, **fields):
        spec = ItemSpec(
            owner_unit=self.units[lead],
            partner_units=tuple(self.units[name] for name in partners),
            **fields,
        )
        return item_create(
            spec=spec,
            by=self.county.supervisor,
            now=self.at(ago),
            calendar=self.calendar,
            assign=assign,
        )

    def handler(self, unit):
        return self.county.handler_for(unit)

    def part(self, item: SupervisionItem, name: str):
        part = item.partner_parts.select_related("unit").get(unit=self.units[name])
        part.item = item  # the same object the lead's steps move, so versions agree
        return part

    def acknowledge(self, item: SupervisionItem, when: dt.datetime) -> None:
        item.acknowledge(by=self.handler(item.owner_unit), now=when, calendar=self.calendar)

    def partner_acknowledge(self, item, name: str, when: dt.datetime) -> None:
        part = self.part(item, name)
        partner_acknowledge(part=part, by=self.handler(part.unit), now=when, calendar=self.calendar)

    def partner_report(self, item, name: str, when: dt.datetime, text: str) -> None:
        part = self.part(item, name)
        partner_report(
            part=part, by=self.handler(part.unit), now=when, calendar=self.calendar, text=text
        )

    def progress(self, item, when: dt.datetime, text: str) -> None:
        progress_post(item=item, by=self.handler(item.owner_unit), now=when, text=text)

    def run(self) -> int:
        county = self.county
        # 1. A leader's instruction, reported by both partners and the lead, and closed.
        item = self.create(
            ago=40,
            source=Source.INSTRUCTION,
            title="城区背街小巷环境综合整治",
            instruction="背街小巷脏乱差问题群众反映强烈，请城关镇牵头，住建、市场监管部门配合，"
            "一个月内集中整治到位，建立长效管护机制。",
            instructed_by="县委书记王振华",
            instructed_on=self.day(41),
            lead="城关镇",
            partners=("县住建局", "县市场监管局"),
            deadline=self.day(40) + dt.timedelta(days=30),
        )
        self.acknowledge(item, self.at(40, 11))
        self.partner_acknowledge(item, "县住建局", self.at(40, 15))
        self.partner_acknowledge(item, "县市场监管局", self.at(39, 10))
        self.progress(item, self.at(35, 16), "已完成12条背街小巷摸底，制定一巷一策整治方案。")
        self.partner_report(
            item, "县住建局", self.at(30, 10), "已完成8条小巷路面修补和雨污管网疏通。"
        )
        self.partner_report(
            item, "县市场监管局", self.at(28, 15), "已清理占道经营摊点46处，规范店招店牌31块。"
        )
        item.submit(
            by=self.handler(item.owner_unit),
            now=self.at(25, 10),
            comment="12条背街小巷全部整治到位，长效管护制度已印发。",
        )
        item.close(by=county.leader, now=self.at(23, 9), comment="经实地查看，整治到位，同意办结。")

        # 2. Under way: one partner has reported, the other only acknowledged.
        item = self.create(
            ago=20,
            source=Source.INSTRUCTION,
            title="柳溪镇集中供水工程扫尾",
            instruction="请柳溪镇加快集中供水工程扫尾，确保年底前全部通水，农业农村、卫健部门做好配合。",
            instructed_by="县长刘明",
            instructed_on=self.day(21),
            lead="柳溪镇",
            partners=("县农业农村局", "县卫健局"),
            deadline=self.today + dt.timedelta(days=25),
        )
        self.acknowledge(item, self.at(20, 14))
        self.partner_acknowledge(item, "县卫健局", self.at(18, 10))
        self.progress(item, self.at(10, 16), "主管网铺设完成85%，3个村已试通水。")
        self.partner_report(
            item, "县农业农村局", self.at(5, 11), "已下达补助资金120万元，完成管网验收2段。"
        )

        # 3. A meeting's decision, assigned three working days ago and not yet acknowledged.
        self.create(
            ago=3,
            source=Source.MEETING,
            title="学校周边交通安全隐患排查整治",
            instruction="会议议定：由县教育局牵头，城关镇、县市场监管局配合，开展学校周边交通安全"
            "和食品安全隐患排查，两周内报送整改情况。",
            instructed_by="县委常委会第21次会议",
            instructed_on=self.day(4),
            lead="县教育局",
            partners=("城关镇", "县市场监管局"),
            deadline_kind=DeadlineKind.WORKING_DAYS,
            deadline_working_days=10,
        )

        # 4. A key task without an end, reported monthly; one month went unreported.
        item = self.create(
            ago=85,
            source=Source.KEY_TASK,
            title="和美乡村示范村创建",
            instruction="全年重点任务：河西乡创建和美乡村示范村，每月报送创建进展。",
            instructed_by="县委农村工作领导小组",
            lead="河西乡",
            partners=("县农业农村局",),
            deadline_kind=DeadlineKind.ONGOING,
            feedback_cycle=FeedbackCycle.MONTHLY,
        )
        self.acknowledge(item, self.at(85, 15))
        self.partner_acknowledge(item, "县农业农村局", self.at(84, 9))
        self.progress(item, self.at(70, 10), "完成示范村规划编制，启动村庄清洁行动。")
        self.progress(item, self.at(20, 10), "改厕120户，新建文化广场1处。")

        # 5. An item from higher up, past its deadline: it escalates.
        item = self.create(
            ago=30,
            source=Source.HIGHER_UP,
            title="秸秆禁烧巡查管控",
            instruction="市委督查室通知：秋收期间严防秸秆焚烧，发现火点即时处置并报告。",
            instructed_by="市委督查室",
            instructed_on=self.day(31),
            lead="石门镇",
            partners=("县自然资源局",),
            deadline=self.day(12),
        )
        self.acknowledge(item, self.at(29, 10))
        self.partner_report(
            item, "县自然资源局", self.at(20, 16), "已启用卫星遥感监测，通报火点2处。"
        )
        self.progress(item, self.at(15, 11), "设置巡查卡点16个，处置火点2处。")

        # 6. A citizen's request, reported and waiting for review.
        item = self.create(
            ago=6,
            source=Source.PUBLIC,
            title="12345工单：南街片区路灯长期不亮",
            instruction="群众多次反映南街片区路灯不亮，夜间出行不便，请5个工作日内处理并回复。",
            instructed_by="12345政务服务便民热线",
            lead="城关镇",
            partners=("县住建局",),
            deadline_kind=DeadlineKind.WORKING_DAYS,
            deadline_working_days=5,
        )
        self.acknowledge(item, self.at(6, 10))
        self.partner_report(item, "县住建局", self.at(4, 15), "已更换路灯灯头23个、修复线路2处。")
        item.submit(
            by=self.handler(item.owner_unit),
            now=self.at(2, 10),
            comment="路灯已全部修复，已电话回复群众，群众满意。",
        )

        # 7. Under way, asking for more time.
        item = self.create(
            ago=15,
            source=Source.INSTRUCTION,
            title="白云乡农村危房改造进度滞后",
            instruction="白云乡危房改造进度滞后，请乡党委牵头，住建部门配合，限期完成。",
            instructed_by="县委副书记赵建国",
            instructed_on=self.day(16),
            lead="白云乡",
            partners=("县住建局",),
            deadline=self.today + dt.timedelta(days=6),
        )
        self.acknowledge(item, self.at(15, 16))
        extension_request(
            item=item,
            by=self.handler(item.owner_unit),
            now=self.at(1, 10),
            new_deadline=self.today + dt.timedelta(days=30),
            reason="入冬后3户需异地安置，选址报批需时间。",
        )

        # 8. Registered, not yet assigned.
        self.create(
            ago=1,
            assign=False,
            source=Source.MEETING,
            title="桃源镇农贸市场提升改造",
            instruction="县政府常务会议议定：桃源镇农贸市场年内完成提升改造。",
            instructed_by="县政府第15次常务会议",
            lead="桃源镇",
            partners=("县市场监管局", "县发改局"),
            deadline=self.today + dt.timedelta(days=40),
        )
        escalate(items=SupervisionItem.objects.all(), by=county.supervisor, now=self.now)
        return SupervisionItem.objects.count()
