"""The demo's 作风革命·效能革命 campaign in six stages across the six townships, the visits of
the county leader and the townships, each village's households, and a year and a half of
meetings and documents for 精文减会, all through the real services.

The campaign started 50 days ago: 动员部署 and 学习研讨 are over (some townships on time, one
late, one missing), 调查研究 is under way, the later stages are ahead."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from bihuan.campaigns.models import Activity, Campaign, DueKind, Per
from bihuan.campaigns.services import (
    CampaignSpec,
    RequirementSpec,
    campaign_create,
    requirement_add,
)
from bihuan.fieldwork.services import VisitSpec, households_set, visit_create
from bihuan.materials.models import MaterialKind
from bihuan.materials.services import material_upload
from bihuan.org.models import Role
from bihuan.streamlining.models import MeetingKind, MeetingLevel
from bihuan.streamlining.services import (
    MeetingSpec,
    TargetSpec,
    document_register,
    meeting_register,
    target_set,
)
from bihuan.workflow.calendar import WorkCalendar

from .county import County

CAMPAIGN = "作风革命·效能革命"
STUDY_TEXT = """{township}“作风革命·效能革命”专题研讨发言

一、对作风建设的认识
作风建设永远在路上。{township}党委把转变作风作为推动乡村振兴的重要抓手，坚持问题导向。

二、存在的差距
一是服务群众“最后一公里”还不够畅通。二是部分干部“等靠要”思想依然存在。

三、下一步打算
坚持“马上就办、办就办好”，对群众诉求实行首问负责、限时办结。
"""
TOPICS = ("人居环境整治", "防返贫监测", "村级集体经济", "矛盾纠纷排查", "秋收秋种")


class CampaignLoader:
    def __init__(
        self, *, county: County, now: dt.datetime, calendar: WorkCalendar, rng: random.Random
    ) -> None:
        self.county = county
        self.now = now
        self.calendar = calendar
        self.rng = rng
        self.today = timezone.localdate(now)

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def run(self) -> Campaign:
        campaign = self.campaign()
        self.deployment(campaign)
        self.study(campaign)
        self.visits(campaign)
        self.streamlining()
        return campaign

    def campaign(self) -> Campaign:
        county = self.county
        campaign = campaign_create(
            spec=CampaignSpec(
                name=CAMPAIGN,
                organiser=county.county,
                units=tuple(county.townships),
                starts_on=self.today - dt.timedelta(days=50),
                ends_on=self.today + dt.timedelta(days=69),
                description="以作风革命推动效能革命，动员部署、学习研讨、调查研究、查摆问题、"
                "整改落实、总结提升六个阶段压茬推进。",
            ),
            by=county.supervisor,
            now=self.at(self.today - dt.timedelta(days=52)),
        )
        stages = {stage.name: stage for stage in campaign.stages.all()}
        self.stages = stages

        def require(stage: str, activity: str, per: str, **fields) -> None:
            fields.setdefault("due_on", stages[stage].ends_on)
            requirement_add(
                stage=stages[stage],
                spec=RequirementSpec(activity=activity, per=per, **fields),
                by=county.supervisor,
                now=self.at(stages["动员部署"].starts_on, 9),
            )

        require(
            "动员部署",
            Activity.MEETING,
            Per.UNIT,
            due_kind=DueKind.WORKING_DAYS,
            due_working_days=5,
            due_on=None,
            note="召开动员部署会",
        )
        require("学习研讨", Activity.STUDY, Per.UNIT, quantity=2)
        require("学习研讨", Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.STUDY)
        require("学习研讨", Activity.MATERIAL, Per.PERSON, material_kind=MaterialKind.STUDY)
        require("调查研究", Activity.VISIT, Per.PERSON, quantity=3, roles=(Role.CADRE,))
        require("调查研究", Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.RESEARCH)
        require("查摆问题", Activity.MATERIAL, Per.PERSON, material_kind=MaterialKind.ANALYSIS)
        require("总结提升", Activity.MATERIAL, Per.UNIT, material_kind=MaterialKind.SUMMARY)
        return campaign

    def meeting(self, unit, day: dt.date, *, title: str, kind: str, minutes: int, campaign=None,
                level=MeetingLevel.TOWNSHIP, merged=False, by_video=False) -> None:  # fmt: skip
        meeting_register(
            spec=MeetingSpec(
                unit=unit,
                held_on=day,
                title=title,
                kind=kind,
                level=level,
                minutes=minutes,
                attendees=self.rng.randint(15, 80),
                merged=merged,
                by_video=by_video,
                campaign=campaign,
            ),
            by=self.recorder(unit),
            now=self.at(day, 17),
        )

    def recorder(self, unit):
        """Who registers a unit's meetings: its handler; the county's, the supervisor."""
        if unit == self.county.county:
            return self.county.supervisor
        return self.county.handler_for(unit)

    def deployment(self, campaign: Campaign) -> None:
        """Four townships held their 动员部署会 in time, 白云乡 late, 桃源镇 not at all."""
        start = self.stages["动员部署"].starts_on
        for township, working_days in zip(self.county.townships[:5], (1, 2, 2, 3, 9), strict=True):
            day = self.calendar.add_working_days(start, working_days)
            self.meeting(
                township,
                day,
                title=f"{township}作风革命·效能革命动员部署会",
                kind=MeetingKind.DEPLOYMENT,
                minutes=self.rng.choice((50, 60, 90)),
                campaign=campaign,
            )

    def study(self, campaign: Campaign) -> None:
        """学习研讨: study sessions and 研讨材料; 河西乡 late, 白云乡 and 桃源镇 missing."""
        stage = self.stages["学习研讨"]
        townships = self.county.townships
        for offset, township in enumerate(townships[:4]):
            for number in (1, 2)[: 2 if offset != 3 else 1]:
                self.meeting(
                    township,
                    stage.starts_on + dt.timedelta(days=3 + 7 * number + offset),
                    title=f"{township}第{number}次专题学习研讨会",
                    kind=MeetingKind.STUDY,
                    minutes=self.rng.choice((60, 90, 120)),
                    campaign=campaign,
                )
        late = stage.ends_on + dt.timedelta(days=3)
        for township, day in zip(
            townships[:4],
            (stage.ends_on - dt.timedelta(days=5), late, stage.ends_on - dt.timedelta(days=2), stage.ends_on),
            strict=True,
        ):  # fmt: skip
            handler = self.county.handler_for(township)
            self.upload(
                handler, MaterialKind.STUDY, day, STUDY_TEXT.format(township=township), campaign
            )
        cadre = self.county.cadre
        self.upload(cadre, MaterialKind.STUDY, stage.ends_on - dt.timedelta(days=4),
                    STUDY_TEXT.format(township=f"{cadre.unit}{cadre}"), campaign)  # fmt: skip

    def upload(self, author, kind: str, day: dt.date, text: str, campaign: Campaign) -> None:
        material_upload(
            data=text.encode(),
            filename=f"{author.unit}{MaterialKind(kind).label}.txt",
            kind=kind,
            author=author,
            by=author,
            now=self.at(day, 15),
            campaign=campaign,
        )

    def visits(self, campaign: Campaign) -> None:
        """Households for every village; the county leader's days this year (about a third of
        the 90); the townships' visits, those of 调查研究 for the campaign."""
        county, rng = self.county, self.rng
        for village in county.villages:
            households_set(
                unit=village,
                count=rng.randrange(120, 420, 10),
                by=county.handler_for(village),
                now=self.at(self.today - dt.timedelta(days=200)),
            )
        jan_first = dt.date(self.today.year, 1, 1)
        research = self.stages["调查研究"]
        days_so_far = range(0, (self.today - jan_first).days)
        leader_days = sorted(rng.sample(days_so_far, min(14, len(days_so_far))))
        for number, offset in enumerate(leader_days):
            day = jan_first + dt.timedelta(days=offset)
            days = 2 if number % 4 == 0 else 1
            village = rng.choice(county.villages)
            tagged = campaign if day >= research.starts_on else None
            self.visit(
                (county.leader,), county.county, village, day, days, rng.randrange(5, 30), tagged
            )
        for township in county.townships[:3]:
            villages = [v for v in county.villages if v.parent_id == township.pk]
            for village in villages[:2]:
                day = min(research.starts_on + dt.timedelta(days=rng.randrange(0, 8)), self.today)
                village_households = village.households.count
                self.visit(
                    (county.handler_for(township),), township, village, day, 1,
                    village_households if village == villages[0] else village_households // 3,
                    campaign,
                )  # fmt: skip
        day = min(research.starts_on + dt.timedelta(days=2), self.today)
        self.visit((county.cadre,), county.chengguan, county.dongguan, day, 2, 40, campaign)

    def visit(self, people, unit, village, day, days, households, campaign) -> None:
        visit_create(
            spec=VisitSpec(
                unit=unit,
                people=people,
                starts_on=day,
                ends_on=day + dt.timedelta(days=days - 1),
                days=Decimal(days),
                place_unit=village,
                households=households,
                topics=self.rng.choice(TOPICS),
                campaign=campaign,
            ),
            by=people[0],
            now=self.at(day + dt.timedelta(days=days - 1), 19),
        )

    def streamlining(self) -> None:
        """Last year's documents and meetings, and this year's so far, fewer and shorter; the
        county's targets: documents −30 %, meetings at most 90 minutes."""
        county, rng, today = self.county, self.rng, self.today
        target_set(
            spec=TargetSpec(county.county, today.year, documents_cut_percent=30, meeting_max_minutes=90),
            by=county.supervisor,
            now=self.at(dt.date(today.year, 1, 5)),
        )  # fmt: skip
        numbers = iter(range(1, 10_000))
        for year, per_unit, minutes in (
            (today.year - 1, 10, (60, 90, 120, 150)),
            (today.year, 5, (40, 60, 90)),
        ):
            last = today if year == today.year else dt.date(year, 12, 31)
            span = (last - dt.date(year, 1, 1)).days
            for unit in (county.county, *county.townships):
                count = per_unit * (3 if unit == county.county else 1) * span // 365 + 1
                for _ in range(count):
                    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, span + 1))
                    number = next(numbers)
                    short = "青" if unit == county.county else unit.name[:2]
                    document_register(
                        unit=unit,
                        number=f"{short}发〔{year}〕{number}号",
                        title=f"关于做好{rng.choice(TOPICS)}工作的通知",
                        issued_on=day,
                        data=("各有关单位：现将有关事项通知如下。" * rng.randint(20, 120)).encode(),
                        filename="通知.txt",
                        by=county.supervisor,
                        now=self.now,
                    )
                    self.meeting(
                        unit,
                        day,
                        title="工作推进会",
                        kind=MeetingKind.WORK,
                        minutes=rng.choice(minutes),
                        level=MeetingLevel.COUNTY if unit == county.county else MeetingLevel.TOWNSHIP,
                        merged=rng.random() < 0.2,
                        by_video=rng.random() < 0.3,
                    )  # fmt: skip
