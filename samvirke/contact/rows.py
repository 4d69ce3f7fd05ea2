"""Plain SQL for the telephony event path: one statement per step, without the ORM's query compiler.

Why: the telephony platform sends every call's events (offered, answered, ended, the agent's "ready") as they
happen, and each event is a transaction of six to ten statements. Built through the ORM, a statement cost more CPU
to compile (about 1 ms on the 2-core benchmark machine) than PostgreSQL spent running it, which held the event API
under 100 events a second (bench/contact_throughput.py). Here the statements are written out, and values pass
through the model fields exactly as `save()` and a queryset pass them, so a datetime, a boolean or a JSON value is
stored and read back the same way.

The SQL runs on PostgreSQL and SQLite (the tests run on both): both have RETURNING and INSERT … ON CONFLICT DO
NOTHING. Row locks (FOR UPDATE, SKIP LOCKED) exist only in PostgreSQL; SQLite serialises writers instead
(BEGIN IMMEDIATE, see settings), which gives the same guarantees, so `locking()` leaves the clause out there.
SQL is composed only from this code's own text and the models' table and column names; values are parameters.

On PostgreSQL the statements are prepared, once per connection (they are few and the connections persist):
parsing and planning was over half of PostgreSQL's CPU for these short statements. The ORM's own queries keep
Django's client-side binding. (Behind PgBouncer in transaction mode this needs PgBouncer 1.22 or later.)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)
Column = tuple[type[models.Model], str]  # (model, field name): how to read a column a query returns


def locking(*, skip_locked: bool = False, of: str = "") -> str:
    """` FOR UPDATE [OF table] [SKIP LOCKED]` where the database has row locks, else nothing."""
    features = connection.features
    if not features.has_select_for_update:
        return ""
    clause = " FOR UPDATE"
    if of and features.has_select_for_update_of:
        clause += f" OF {of}"
    if skip_locked and features.has_select_for_update_skip_locked:
        clause += " SKIP LOCKED"
    return clause


def _cursor() -> Any:
    """A cursor in the current transaction; on PostgreSQL one that binds on the server and prepares statements."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    driver_connection = connection.connection
    # Django leaves psycopg's automatic preparing off (its cursors bind on the client, so they never prepare);
    # 0 prepares a statement of ours the first time it runs.
    if driver_connection.prepare_threshold != 0:
        driver_connection.prepare_threshold = 0
    with connection.wrap_database_errors:
        # Wrapped as connection.cursor() wraps its cursors (query logging, error translation).
        return connection._prepare_cursor(ServerBindingCursor(driver_connection))  # type: ignore[attr-defined]


def execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement; the rows it returns (SELECT or RETURNING), as the driver gives them (see `convert`)."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a column"
    return field


@lru_cache(maxsize=64)
def _converters(vendor: str, columns: tuple[Column, ...]) -> tuple[tuple[Any, list[Any]], ...]:
    """What the ORM's compiler applies to each column it reads (SQLite: text → datetime, 0/1 → bool; JSON text)."""
    result = []
    for model, name in columns:
        field = _field(model, name)
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        result.append((expression, converters))
    return tuple(result)


def convert(columns: tuple[Column, ...], row: Sequence[Any]) -> list[Any]:
    """A row's values as Python values, as the ORM would return them."""
    values = []
    for value, (expression, converters) in zip(row, _converters(connection.vendor, columns), strict=True):
        for converter in converters:
            value = converter(value, expression, connection)
        values.append(value)
    return values


def instance(model: type[M], names: tuple[str, ...], row: Sequence[Any]) -> M:
    """A model instance from a row holding `names` (other fields are deferred: reading one queries the database)."""
    by_attname = {
        _field(model, name).attname: value
        for name, value in zip(names, convert(tuple((model, name) for name in names), row), strict=True)
    }
    # from_db takes the values in the model's field order.
    attnames = [field.attname for field in model._meta.concrete_fields if field.attname in by_attname]
    return model.from_db(connection.alias, attnames, [by_attname[attname] for attname in attnames])


def db_datetime(value: Any) -> Any:
    """A datetime as a query parameter, as a DateTimeField stores it (SQLite: text in UTC)."""
    return connection.ops.adapt_datetimefield_value(value)


def _columns_and_params(model: type[models.Model], values: dict[str, Any]) -> tuple[list[str], list[Any]]:
    fields = [_field(model, name) for name in values]
    quote = connection.ops.quote_name
    columns = [quote(str(field.column)) for field in fields]
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values.values(), strict=True)]
    return columns, params


def update(model: type[models.Model], pk: Any, values: dict[str, Any]) -> int:
    """UPDATE one row by primary key, as `save(update_fields=…)` writes it (no signals are connected to the contact
    centre's models). Returns the number of rows changed (0 or 1)."""
    columns, params = _columns_and_params(model, values)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{column} = %s" for column in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(str(model._meta.pk.column))} = %s"  # noqa: S608
    with _cursor() as cursor:
        cursor.execute(sql, [*params, pk])
        return int(cursor.rowcount)


def save_fields(obj: models.Model, names: list[str]) -> None:
    """`obj.save(update_fields=names)`, written directly."""
    update(type(obj), obj.pk, {name: getattr(obj, _field(type(obj), name).attname) for name in names})


def insert(model: type[models.Model], values: dict[str, Any], *, unless_exists: str = "") -> Any | None:
    """INSERT one row; returns its primary key. With `unless_exists` (a unique column), a row that already has that
    value is left alone and None returned: on PostgreSQL this waits for a concurrent insert of the same value to
    commit or roll back, so exactly one of two concurrent inserts wins, with no savepoint to recover from."""
    columns, params = _columns_and_params(model, values)
    quote = connection.ops.quote_name
    conflict = f" ON CONFLICT ({quote(unless_exists)}) DO NOTHING" if unless_exists else ""
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}){conflict} RETURNING {quote(str(model._meta.pk.column))}"
    )
    found = execute(sql, params)
    return found[0][0] if found else None


def insert_instance(obj: models.Model, *, unless_exists: str = "") -> bool:
    """`obj.save()` for a new object with an automatic primary key; sets `obj.pk`. With `unless_exists`, False
    (and no pk) when a row with the same value in that unique column exists."""
    values = {field.name: getattr(obj, field.attname) for field in obj._meta.concrete_fields if not field.primary_key}
    pk = insert(type(obj), values, unless_exists=unless_exists)
    if pk is None:
        return False
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
    return True
