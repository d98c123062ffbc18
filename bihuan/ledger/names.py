"""Matching the unit and person names a ledger file writes to units and accounts.

Files write names the way people say them: "县委办" for 县委办公室, "城关镇" for 城关镇人民政府,
"青山县纪委监委" for 县纪委监委. A name matches when it reduces to the same key as exactly one
unit the importer sees; what stays unmatched is mapped once by the user and remembered
(`NameMapping`).
"""

import re
import unicodedata
from dataclasses import dataclass

from bihuan.org.models import Unit, User

from .models import NameKind, NameMapping

# Suffixes that name the same body: 城关镇 = 城关镇人民政府 = 城关镇党委.
_BODY_SUFFIXES = re.compile(r"(党委政府|人民政府|党委|政府|党工委|管委会|党总支|党支部|支部)$")
_SHORTENED = (("办公室", "办"), ("委员会", "委"), ("人民", ""))
# Several names in one cell: 张三、李四 / 县委办，县政府办 / 张三/李四
_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


def split_names(text: str) -> list[str]:
    return [name for name in _SEPARATORS.split(text.strip()) if name]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _reduce(key: str) -> str:
    key = _BODY_SUFFIXES.sub("", key) or key
    for long, short in _SHORTENED:
        key = key.replace(long, short)
    return key


def unit_keys(name: str, *, county_names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The forms a unit name reduces to. The county's own name is either part of a county
    body's name (青山县委办公室 = 县委办) or only a locator (青山县东关村 = 东关村)."""
    key = _squash(name).removeprefix("中国共产党").removeprefix("中共")
    keys = [_reduce(key)]
    for county in county_names:
        stem = county.removesuffix("县").removesuffix("市").removesuffix("区")
        for prefix in (county, stem):
            if prefix and key.startswith(prefix) and len(key) > len(prefix):
                level = county[len(stem) :] or "县"
                rest = key[len(prefix) :].removeprefix(level)
                if rest:
                    keys += [_reduce(level + rest), _reduce(rest)]
                break
    return tuple(dict.fromkeys(keys))


@dataclass
class UnitMatcher:
    """Resolves unit names for one importer, over the units they see."""

    by_key: dict[str, list[Unit]]
    mapped: dict[str, Unit]
    county_names: tuple[str, ...]

    @classmethod
    def for_user(cls, user: User) -> "UnitMatcher":
        units = list(Unit.objects.visible_to(user).filter(is_active=True))
        county_names = tuple(unit.name for unit in units if unit.parent_id is None) or tuple(
            unit.name for unit in Unit.objects.filter(parent__isnull=True)
        )
        by_key: dict[str, list[Unit]] = {}
        for unit in units:
            keys = {_squash(unit.name), *unit_keys(unit.name, county_names=county_names)}
            if unit.short_name:
                keys |= {_squash(unit.short_name), *unit_keys(unit.short_name)}
            for key in keys:
                by_key.setdefault(key, []).append(unit)
        visible = {unit.pk for unit in units}
        mapped = {
            mapping.text: mapping.unit
            for mapping in NameMapping.objects.filter(kind=NameKind.UNIT).select_related("unit")
            if mapping.unit_id in visible
        }
        return cls(by_key=by_key, mapped=mapped, county_names=county_names)

    def match(self, text: str) -> Unit | None:
        """The unit a cell names; with several names (牵头单位、配合单位) the first one leads."""
        names = split_names(text)
        if not names:
            return None
        whole = _squash(text)
        if whole in self.mapped:
            return self.mapped[whole]
        return self._one(names[0])

    def _one(self, name: str) -> Unit | None:
        if name in self.mapped:
            return self.mapped[name]
        for key in (_squash(name), *unit_keys(name, county_names=self.county_names)):
            candidates = self.by_key.get(key, [])
            if len(candidates) == 1:
                return candidates[0]
        return None


@dataclass
class PersonMatcher:
    """Resolves person names to accounts: within the owner unit first, then in the importer's
    scope, and only when exactly one account carries the name."""

    by_name: dict[str, list[User]]
    mapped: dict[str, User]

    @classmethod
    def for_user(cls, user: User) -> "PersonMatcher":
        units = Unit.objects.visible_to(user)
        by_name: dict[str, list[User]] = {}
        for person in User.objects.filter(unit__in=units, is_active=True).select_related("unit"):
            if person.name:
                by_name.setdefault(_squash(person.name), []).append(person)
        visible = {person.pk for people in by_name.values() for person in people}
        mapped = {
            mapping.text: mapping.user
            for mapping in NameMapping.objects.filter(kind=NameKind.PERSON).select_related("user")
            if mapping.user_id in visible
        }
        return cls(by_name=by_name, mapped=mapped)

    def match(self, name: str, *, unit: Unit | None) -> User | None:
        name = _squash(name)
        if name in self.mapped:
            return self.mapped[name]
        candidates = self.by_name.get(name, [])
        if unit is not None:
            inside = [person for person in candidates if person.unit and unit.contains(person.unit)]
            if len(inside) == 1:
                return inside[0]
        return candidates[0] if len(candidates) == 1 else None
