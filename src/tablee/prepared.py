"""Hot read queries written with the ORM, built and compiled once per connection, then only run.

Django builds and compiles a query anew on every call: 0.3 to 1 ms of CPU for a filter with a join
on this project's machines, against about 0.05 ms for SQLite to run it. On the paths every request
takes (the signed-in person, the API token, the member's gatherings) that build was most of the
request (bench/RESULTS.md, issue 13). A ``Prepared`` query is an ordinary queryset written in a
function of its parameters::

    _MEMBERSHIPS = Prepared(
        lambda user_id: Membership.objects.filter(user_id=user_id).values_list("association_id", "role"),
        user_id=int,
    )
    rows = _MEMBERSHIPS(user_id=request.user.pk)

The first call on a database connection builds the queryset with placeholder values, compiles it,
and finds each placeholder among the compiled parameters; later calls run the same SQL with the new
values and convert the rows with the same compiler (Django's own converters, model instances with
their ``select_related`` objects). Connections are per thread, so nothing compiled is shared
between threads.

What qualifies: the SQL must not depend on the values. Parameters are ``int``, ``str``, ``datetime``
(compared with date-time fields) or ``list`` (of ints, for ``__in``: compiled once per length; an
empty list runs the plain ORM path). Anything else the function reads (today's date, a setting) is
frozen at the first call, so it must be a parameter. A value the ORM would transform (``iexact``,
``contains``) cannot be found among the compiled parameters: that raises at the first call rather
than run a wrong query. The results are what the queryset gives: model instances, ``values_list``
tuples or flat values; ``orm()`` runs the plain queryset, which the tests compare against.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

_KINDS = (int, str, datetime, list)
# Placeholders no real value takes: ids are positive, no stored text holds NUL, no gathering is in 1901.
_INT_BASE = -7_340_021_000_000_000
_DATETIME_BASE = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


def _placeholder(kind: type, k: int, length: int = 0) -> Any:
    if kind is int:
        return _INT_BASE - k
    if kind is str:
        # % _ and \ are what LIKE-based lookups escape: such a lookup cannot find its placeholder.
        return f"\x00prepared%_\\{k}\x00"
    if kind is datetime:
        return _DATETIME_BASE + timedelta(microseconds=k + 1)
    return [_INT_BASE - 1000 * (k + 1) - i for i in range(length)]


@dataclass(frozen=True)
class _Slot:
    """Where one compiled parameter comes from: a parameter's value (an item of it for a list),
    adapted as the ORM adapted its placeholder, or a constant of the query."""

    name: str | None
    index: int | None
    adapt: Callable[[Any], Any] | None
    constant: Any = None

    def value(self, values: dict[str, Any]) -> Any:
        if self.name is None:
            return self.constant
        value = values[self.name] if self.index is None else values[self.name][self.index]
        return self.adapt(value) if self.adapt is not None else value


class _Compiled:
    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any], kinds: dict[str, type]) -> None:
        alias = queryset.db
        connection = connections[alias]
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        adapt_dt = connection.ops.adapt_datetimefield_value
        # Each placeholder as the compiled parameters would hold it → (name, index, adapter).
        wanted: dict[Any, tuple[str, int | None, Callable[[Any], Any] | None]] = {}
        for name, placeholder in placeholders.items():
            if kinds[name] is list:
                for i, item in enumerate(placeholder):
                    wanted[item] = (name, i, None)
            elif kinds[name] is datetime:
                wanted[adapt_dt(placeholder)] = (name, None, adapt_dt)
            else:
                wanted[placeholder] = (name, None, None)
        slots = []
        for param in params:
            found = wanted.get(param) if isinstance(param, (int, str, datetime)) else None
            slots.append(_Slot(*found) if found else _Slot(None, None, None, param))
        present = {param for param in params if isinstance(param, (int, str, datetime))}
        if set(wanted) - present or any(str(placeholder) in sql for placeholder in wanted):
            raise ValueError(f"prepared query: a parameter is transformed or inlined by the ORM: {sql}")
        if getattr(queryset, "_prefetch_related_lookups", ()) or getattr(queryset, "_known_related_objects", {}):
            raise ValueError("prepared query: prefetch_related and related managers are not supported")
        self.alias = alias
        self.sql = sql
        self.slots = slots
        self.compiler = compiler
        # Django's converters for the selected columns (dates on SQLite, decimals…), found once.
        columns = [column[0] for column in compiler.select[0:compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("prepared query: composite primary keys are not supported")
        self.converters = compiler.get_converters(columns)
        self.iterable = queryset._iterable_class
        if self.iterable is ModelIterable:
            select, klass_info = compiler.select, compiler.klass_info
            fields = klass_info["select_fields"]
            self.model = klass_info["model"]
            self.model_span = (fields[0], fields[-1] + 1)
            self.init_list = [f[0].target.attname for f in select[fields[0]:fields[-1] + 1]]
            # Django 5.2's signature (the type stubs follow a later Django).
            self.populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]
            self.annotations = dict(compiler.annotation_col_map or {})
        elif self.iterable not in (ValuesListIterable, FlatValuesListIterable):
            raise ValueError("prepared query: only model rows and values_list() are supported")

    def run(self, values: dict[str, Any]) -> list:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [slot.value(values) for slot in self.slots])
            rows = cursor.fetchall()
        converted = self.compiler.apply_converters(rows, self.converters) if self.converters else rows
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in converted]
        if self.iterable is ValuesListIterable:
            return [tuple(row) for row in converted]
        start, end = self.model_span
        objects = []
        for row in converted:
            obj = self.model.from_db(self.alias, self.init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for attribute, position in self.annotations.items():
                setattr(obj, attribute, row[position])
            objects.append(obj)
        return objects


_KEYS = itertools.count()


class Prepared:
    """A read query compiled once per connection (see the module's docstring)."""

    def __init__(self, build: Callable[..., QuerySet], /, **kinds: type) -> None:
        for name, kind in kinds.items():
            if kind not in _KINDS:
                raise TypeError(f"prepared query: {name} must be one of int, str, datetime, list")
        self._build = build
        self._kinds = kinds
        # What a connection's compiled statements are kept under: never reused, unlike ``id(self)``,
        # which a new query may take once an old one is freed (it then ran the old one's SQL).
        self._key = next(_KEYS)

    def orm(self, **values: Any) -> list:
        """The same rows through the plain ORM: built and compiled on this call."""
        return list(self._build(**values))

    def __call__(self, **values: Any) -> list:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"prepared query: expected {sorted(self._kinds)}, got {sorted(values)}")
        lengths = []
        for name, kind in self._kinds.items():
            value = values[name]
            if kind is list:
                value = values[name] = list(value)
                if not all(type(item) is int for item in value):
                    raise TypeError(f"prepared query: {name} holds ints only")
                lengths.append(len(value))
            elif not isinstance(value, kind) or isinstance(value, bool):
                raise TypeError(f"prepared query: {name} must be {kind.__name__}, not {type(value).__name__}")
        if 0 in lengths:
            return self.orm(**values)  # an empty IN: the ORM knows there are no rows
        # The thread's connection (Django keeps one per thread) holds what was compiled on it.
        connection = connections[DEFAULT_DB_ALIAS]
        cache: dict = connection.__dict__.setdefault("_tablee_prepared", {})
        key = (self._key, tuple(lengths))
        compiled = cache.get(key)
        if compiled is None:
            placeholders = {}
            list_lengths = iter(lengths)
            for k, (name, kind) in enumerate(self._kinds.items()):
                placeholders[name] = _placeholder(kind, k, next(list_lengths) if kind is list else 0)
            compiled = cache[key] = _Compiled(self._build(**placeholders), placeholders, self._kinds)
        return compiled.run(values)
