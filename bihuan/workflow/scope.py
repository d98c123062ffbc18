"""The scope rule (`Unit.objects.visible_to`) as a filter on items that reach units by foreign key.

Two shapes keep it cheap at county and province scale:
- a user whose scope holds every unit (the county office at the root of a one-county tree) gets
  no condition at all, so counts and aggregates read the table without a filter;
- otherwise each path is one `IN (subquery)` on a column of the item's own table, so an OR of
  paths can use one index per path instead of joining and scanning every item.
"""

from django.db.models import F, Lookup, Q

from bihuan.org.models import Unit


class InSubquery(Lookup):
    """`column IN (subquery)`, written on PostgreSQL as `column = ANY(ARRAY(subquery))`: its
    planner combines two such conditions in an OR with a BitmapOr of two index scans, where it
    can only filter `IN (subquery) OR IN (subquery)` row by row over the whole table."""

    lookup_name = "in_subquery"
    prepare_rhs = False

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def sees_every_unit(user) -> bool:
    """Whether every unit is in the user's scope. Remembered on the user object, which lives for
    one request: a unit created meanwhile is created in its creator's scope."""
    known = getattr(user, "_bihuan_sees_every_unit", None)
    if known is None:
        visible = Unit.objects.visible_to(user)
        known = not visible.query.is_empty() and (
            not Unit.objects.exclude(pk__in=visible.values("pk")).exists()
        )
        user._bihuan_sees_every_unit = known
    return known


def scope_q(model, user, *, through: str = "") -> Q | None:
    """The condition for `model`'s items (or, with `through`, for rows that reach them by that
    path) that the user sees; None when the user sees all of them."""
    if sees_every_unit(user):
        return None
    units = Unit.objects.visible_to(user).order_by().values("pk")
    if units.query.is_empty():
        return Q(pk__in=[])
    prefix = f"{through}__" if through else ""
    in_scope = Q()
    for path in model.scope_fields:
        first, _, rest = path.partition("__")
        if rest:
            related = model._meta.get_field(first).related_model
            related_units = InSubquery(F(rest), units)
            values = related._base_manager.filter(related_units).order_by().values("pk")
        else:
            values = units
        in_scope |= InSubquery(F(f"{prefix}{first}"), values)
    return in_scope
