"""The demo county 青山县: its organisation tree and one account for every role."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from bihuan.org.models import Role, Unit, UnitKind, User
from bihuan.org.services import user_create

COUNTY = "青山县"

# (name, short name, handler's username)
DEPARTMENTS = (
    ("青山县发展和改革局", "县发改局", "fagai"),
    ("青山县教育局", "县教育局", "jiaoyu"),
    ("青山县民政局", "县民政局", "minzheng"),
    ("青山县自然资源局", "县自然资源局", "ziran"),
    ("青山县住房和城乡建设局", "县住建局", "zhujian"),
    ("青山县农业农村局", "县农业农村局", "nongye"),
    ("青山县卫生健康局", "县卫健局", "weijian"),
    ("青山县市场监督管理局", "县市场监管局", "shichang"),
)

# (name, handler's username, villages and communities)
TOWNSHIPS = (
    ("城关镇", "chengguan", ("东关社区", "西关社区", "南街社区", "北苑社区")),
    ("河西乡", "hexi", ("西河村", "河口村", "柳林村")),
    ("柳溪镇", "liuxi", ("柳溪村", "溪口村", "新民村", "大坪村", "杨湾村")),
    ("石门镇", "shimen", ("石门村", "桥头村", "龙泉村", "上庄村")),
    ("白云乡", "baiyun", ("白云村", "松树村", "高山村")),
    ("桃源镇", "taoyuan", ("桃源社区", "桃花村", "李家村", "红旗村")),
)

HANDLER_NAMES = (
    "李娜", "王海波", "刘婷", "杨光明", "黄晓丽", "吴涛", "徐红", "马俊",
    "朱丽", "胡斌", "郭芳", "何勇", "高洁", "林峰",
)  # fmt: skip


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    title: str


# The accounts quickstart lists, in the order a visitor would try them.
SUPERVISOR = Account("ducha", "周敏", Role.SUPERVISOR, "县委督查室督查员")
LEADER = Account("lingdao", "赵建国", Role.LEADER, "县委副书记")
CLERK = Account("wenshu", "陈静", Role.HANDLER, "东关社区文书")
CADRE = Account("ganbu", "孙晓峰", Role.CADRE, "城关镇副镇长")
SECURITY_ADMIN = Account("secadmin", "安全管理员", Role.SECURITY_ADMIN, "")
AUDIT_ADMIN = Account("auditadmin", "审计管理员", Role.AUDIT_ADMIN, "")

DEMO_USERNAMES = (
    SUPERVISOR.username,
    LEADER.username,
    TOWNSHIPS[0][1],
    CLERK.username,
    CADRE.username,
    *(username for _name, username, _villages in TOWNSHIPS[1:]),
    *(username for _name, _short, username in DEPARTMENTS),
    SECURITY_ADMIN.username,
    AUDIT_ADMIN.username,
)


class County:
    """The units and people of the demo county, kept in memory for the ledger loader."""

    def __init__(self) -> None:
        self.users: list[User] = []
        self.handlers: dict[int, User] = {}
        self.county = Unit.objects.add(name=COUNTY, kind=UnitKind.COUNTY)
        office = Unit.objects.add(
            name="中共青山县委办公室",
            short_name="县委办",
            kind=UnitKind.DEPARTMENT,
            parent=self.county,
        )
        Unit.objects.add(name="县委督查室", kind=UnitKind.SECTION, parent=office)
        names = iter(HANDLER_NAMES)
        self.departments = []
        for order, (name, short_name, username) in enumerate(DEPARTMENTS, start=2):
            unit = Unit.objects.add(
                name=name, short_name=short_name, kind=UnitKind.DEPARTMENT, parent=self.county,
                order=order,
            )  # fmt: skip
            self.departments.append(unit)
            self._handler(username, next(names), unit, "办公室主任")
        self.townships, self.sections, self.villages = [], [], []
        for order, (name, username, villages) in enumerate(TOWNSHIPS, start=20):
            township = Unit.objects.add(
                name=name, kind=UnitKind.TOWNSHIP, parent=self.county, order=order
            )
            self.townships.append(township)
            self._handler(username, next(names), township, "党政办主任")
            section = Unit.objects.add(name="党政办", kind=UnitKind.SECTION, parent=township)
            self.sections.append(section)
            for village_order, village in enumerate(villages, start=1):
                self.villages.append(
                    Unit.objects.add(
                        name=village, kind=UnitKind.VILLAGE, parent=township, order=village_order
                    )
                )
        self.chengguan = self.townships[0]
        self.dongguan = self.villages[0]
        self.supervisor = self._person(SUPERVISOR, self.county)
        self.leader = self._person(LEADER, self.county)
        self.cadre = self._person(CADRE, self.chengguan)
        self.clerk = self._person(CLERK, self.dongguan)
        self.handlers[self.dongguan.pk] = self.clerk
        self._person(SECURITY_ADMIN, self.county)
        self._person(AUDIT_ADMIN, self.county)

    def _person(self, account: Account, unit: Unit) -> User:
        user = user_create(
            username=account.username,
            name=account.name,
            unit=unit,
            roles=[account.role],
            title=account.title,
        )
        self.users.append(user)
        return user

    def _handler(self, username: str, name: str, unit: Unit, title: str) -> None:
        account = Account(username, name, Role.HANDLER, f"{unit.short_name or unit.name}{title}")
        self.handlers[unit.pk] = self._person(account, unit)

    def set_password(self, password: str) -> None:
        # One hash for every account: the hasher is slow by design and the password is shared.
        User.objects.filter(pk__in=[user.pk for user in self.users]).update(
            password=make_password(password)
        )

    def handler_for(self, unit: Unit) -> User:
        """Who acts for a unit: its own handler, else the handler of the township above it."""
        return self.handlers.get(unit.pk) or self.handlers[unit.parent_id]

    def township_of(self, unit: Unit) -> Unit:
        return next(t for t in self.townships if t.pk == unit.parent_id)
