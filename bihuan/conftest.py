"""The shared world of the tests: a county, its office, two townships with a village each, and
the people who work there. Tests read as sentences about them."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db.models import F

from bihuan.audit.models import AuditHead
from bihuan.campaigns.services import CampaignSpec, campaign_create
from bihuan.ledger.models import Category, Source
from bihuan.ledger.services import MeasureSpec, ProblemSpec, problem_create, progress_post
from bihuan.org.models import Role, Unit, UnitKind
from bihuan.org.services import user_create
from bihuan.workflow.calendar import WorkCalendar
from bihuan.workflow.states import DeadlineKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Qingshan#2024"


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BIHUAN_DUPCHECK_INDEX_DIR = tmp_path / "dupcheck"
    # The real hasher is slow by design; the world creates ten accounts per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Request rates count in the cache (bihuan.org.ratelimit): every test starts at zero.
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_log_flushable(request):
    """A transactional test ends with a flush, which on SQLite deletes row by row, and the audit
    log's trigger lets only pruned entries go: what the test wrote is marked pruned first. The
    head row survives the flush, so the next test's chain starts from it."""
    marker = request.node.get_closest_marker("django_db")
    by_marker = marker is not None and marker.kwargs.get("transaction", False)
    by_fixture = "transactional_db" in request.fixturenames
    if by_fixture:
        # Set up before this fixture, so torn down (flushed) after it.
        request.getfixturevalue("transactional_db")
    yield
    if by_marker or by_fixture:
        AuditHead.objects.filter(pk=AuditHead.ID).update(
            pruned_seq=F("last_seq"), pruned_hash=F("last_hash")
        )


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def now() -> dt.datetime:
    """A Monday in September 2024, the week before the National Day holiday."""
    return at(2024, 9, 23)


@pytest.fixture
def world(db):
    county = Unit.objects.add(name="青山县", kind=UnitKind.COUNTY)
    office = Unit.objects.add(
        name="中共青山县委办公室", short_name="县委办", kind=UnitKind.DEPARTMENT, parent=county
    )
    chengguan = Unit.objects.add(name="城关镇", kind=UnitKind.TOWNSHIP, parent=county)
    dongguan = Unit.objects.add(name="东关村", kind=UnitKind.VILLAGE, parent=chengguan)
    hexi = Unit.objects.add(name="河西乡", kind=UnitKind.TOWNSHIP, parent=county)
    xihe = Unit.objects.add(name="西河村", kind=UnitKind.VILLAGE, parent=hexi)

    def person(username, name, unit, *roles):
        # People who have long since replaced their initial password.
        return user_create(
            username=username,
            name=name,
            unit=unit,
            roles=roles,
            password=PASSWORD,
            must_change_password=False,
        )

    return SimpleNamespace(
        county=county,
        office=office,
        chengguan=chengguan,
        dongguan=dongguan,
        hexi=hexi,
        xihe=xihe,
        # 周督查: the county's supervisor; 赵县长: a county leader.
        zhou=person("zhou", "周督查", county, Role.SUPERVISOR),
        zhao=person("zhao", "赵县长", county, Role.LEADER),
        # 城关镇: 李承办 the township's contact, 钱书记 its own supervisor, 孙干部 a cadre.
        li=person("li", "李承办", chengguan, Role.HANDLER),
        qian=person("qian", "钱书记", chengguan, Role.SUPERVISOR, Role.LEADER),
        sun=person("sun", "孙干部", chengguan, Role.CADRE),
        # 陈文书: the village clerk of 东关村; 王承办: 河西乡's contact.
        chen=person("chen", "陈文书", dongguan, Role.HANDLER),
        wang=person("wang", "王承办", hexi, Role.HANDLER),
        # 吴管理: the system admin, who sees no business data.
        wu=person("wu", "吴管理", county, Role.SYSTEM_ADMIN),
        # A migration makes the default categories, but a transactional test before this one
        # (the browser, backup and two-server tests) empties every table when it ends.
        category=Category.objects.get_or_create(name="工作作风")[0],
    )


@pytest.fixture
def make_problem(world, now):
    """A problem registered by 周督查 for 城关镇 with one measure per spec (defaults: one measure)."""

    def make(*, unit=None, measures=None, by=None, when=None, description="为民服务窗口推诿扯皮"):
        unit = unit or world.chengguan
        measures = measures or [
            MeasureSpec(
                text="建立首问负责制并公示",
                owner_unit=unit,
                deadline=(when or now).date() + dt.timedelta(days=30),
            )
        ]
        spec = ProblemSpec(
            source=Source.SUPERVISION,
            category=world.category,
            description=description,
            unit=unit,
            causes=["宗旨意识淡薄"],
            measures=measures,
        )
        return problem_create(spec=spec, by=by or world.zhou, now=when or now)

    return make


@pytest.fixture
def measure(make_problem):
    """One draft measure of 城关镇, due 30 days from `now`."""
    return make_problem().measures.get()


@pytest.fixture
def assigned(measure, world, now, calendar):
    measure.assign(by=world.zhou, now=now, calendar=calendar)
    return measure


@pytest.fixture
def in_progress(assigned, world, now, calendar):
    assigned.acknowledge(by=world.li, now=now, calendar=calendar)
    return assigned


@pytest.fixture
def submitted(in_progress, world, now):
    in_progress.submit(by=world.li, now=now)
    return in_progress


@pytest.fixture
def grow_ledger(world, make_problem, now, calendar):
    """`grow_ledger(n)` adds n measures to 城关镇, 东关村 and 河西乡 in turn, each unit's in
    turn a draft, waiting for acknowledgement, in progress with an update, and submitted: from
    12 on, every list has rows of every kind. For tests of what grows with the data."""
    handlers = {world.chengguan: world.li, world.dongguan: world.chen, world.hexi: world.wang}
    units = list(handlers)
    added = 0

    def grow(count: int) -> None:
        nonlocal added
        for n in range(added, added + count):
            unit, kind = units[n % len(units)], n // len(units) % 4
            deadline = now.date() + dt.timedelta(days=2 + n)
            spec = MeasureSpec(text=f"第{n}条措施", owner_unit=unit, deadline=deadline)
            problem = make_problem(unit=unit, measures=[spec], description=f"第{n}个问题")
            measure = problem.measures.get()
            if kind == 0:
                continue
            measure.assign(by=world.zhou, now=now, calendar=calendar)
            if kind == 1:
                continue
            measure.acknowledge(by=handlers[unit], now=now, calendar=calendar)
            progress_post(measure=measure, by=handlers[unit], now=now, text="已部署")
            if kind == 3:
                measure.submit(by=handlers[unit], now=now)
        added += count

    return grow


@pytest.fixture
def scoped_campaigns(world, now):
    """Two campaigns running now: the county's, in which 城关镇 and 河西乡 take part, and
    河西乡's own, which nobody in 城关镇 sees."""

    def create(name, organiser, units):
        spec = CampaignSpec(
            name=name,
            organiser=organiser,
            units=units,
            starts_on=now.date() - dt.timedelta(days=10),
            ends_on=now.date() + dt.timedelta(days=60),
        )
        return campaign_create(spec=spec, by=world.zhou, now=now)

    return {
        "county": create("作风革命·效能革命", world.county, (world.chengguan, world.hexi)),
        "hexi": create("河西乡大讨论", world.hexi, (world.hexi,)),
    }


__all__ = ["PASSWORD", "DeadlineKind", "at"]
