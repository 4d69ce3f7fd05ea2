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

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)
Column = tuple[type[models.Model], str]  # (model, field name): how to read a column a query returns


def _db() -> BaseDatabaseWrapper:
    # The connection itself: `django.db.connection` is a proxy that looks the thread's connection up again on
    # every attribute, and these helpers read several attributes per statement.
    return connections[DEFAULT_DB_ALIAS]


def locking(*, skip_locked: bool = False, of: str = "") -> str:
    """` FOR UPDATE [OF table] [SKIP LOCKED]` where the database has row locks, else nothing."""
    features = _db().features
    if not features.has_select_for_update:
        return ""
    clause = " FOR UPDATE"
    if of and features.has_select_for_update_of:
        clause += f" OF {of}"
    if skip_locked and features.has_select_for_update_skip_locked:
        clause += " SKIP LOCKED"
    return clause


_server_binding_cursor: Any = None


def _prepared_cursor(db: BaseDatabaseWrapper) -> Any:
    """PostgreSQL: the driver's cursor that binds on the server, so psycopg can prepare its statements. It is kept for
    the connection's life: creating one per statement was a tenth of this module's cost."""
    global _server_binding_cursor
    if _server_binding_cursor is None:
        from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

        _server_binding_cursor = ServerBindingCursor
    db.close_if_health_check_failed()
    db.ensure_connection()
    driver_connection = db.connection
    cursor = getattr(db, "_contact_rows_cursor", None)
    if cursor is None or cursor.connection is not driver_connection or cursor.closed:
        # Django leaves psycopg's automatic preparing off (its own cursors bind on the client and never prepare);
        # 0 prepares a statement of ours the first time it runs.
        driver_connection.prepare_threshold = 0
        cursor = _server_binding_cursor(driver_connection)
        db._contact_rows_cursor = cursor  # type: ignore[attr-defined]
    return cursor


def _run(sql: str, params: Sequence[Any], *, fetch: bool) -> tuple[list[tuple[Any, ...]], int]:
    """Run one statement: its rows (if `fetch`: a SELECT or RETURNING) and the number of rows it changed."""
    db = _db()
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return (cursor.fetchall() if fetch else []), cursor.rowcount
    cursor = _prepared_cursor(db)  # not closed: it is reused
    if db.queries_logged or db.execute_wrappers:
        # DEBUG, a test counting queries, or an execute wrapper: through Django's cursor wrapper, which serves them.
        cursor = db._prepare_cursor(cursor)  # type: ignore[attr-defined]
        cursor.execute(sql, params)
    else:
        # What Django's wrapper does otherwise, without its layers of calls.
        db.validate_thread_sharing()
        db.validate_no_broken_transaction()
        with db.wrap_database_errors:
            cursor.execute(sql, params)
    return (cursor.fetchall() if fetch else []), cursor.rowcount


def execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run a SELECT (or a statement with RETURNING); its rows as the driver gives them (see `convert`)."""
    return _run(sql, params, fetch=True)[0]


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a column"
    return field


def column_list(model: type[models.Model], names: tuple[str, ...]) -> str:
    """The fields' columns, for a SELECT or RETURNING list: "id, external_id, queue_id, …"."""
    return ", ".join(str(_field(model, name).column) for name in names)


@lru_cache(maxsize=64)
def _converters(vendor: str, columns: tuple[Column, ...]) -> tuple[tuple[Any, list[Any]], ...]:
    """What the ORM's compiler applies to each column it reads (SQLite: text → datetime, 0/1 → bool; JSON text)."""
    db = _db()
    result = []
    for model, name in columns:
        expression = _field(model, name).get_col(model._meta.db_table)
        result.append((expression, db.ops.get_db_converters(expression) + expression.get_db_converters(db)))
    return tuple(result)


def convert(columns: tuple[Column, ...], row: Sequence[Any]) -> list[Any]:
    """A row's values as Python values, as the ORM would return them."""
    db = _db()
    values = []
    for value, (expression, converters) in zip(row, _converters(db.vendor, columns), strict=True):
        for converter in converters:
            value = converter(value, expression, db)
        values.append(value)
    return values


@lru_cache(maxsize=64)
def _instance_layout(
    model: type[models.Model], names: tuple[str, ...]
) -> tuple[tuple[Column, ...], list[str], list[int]]:
    """For `instance`: the columns to convert, and the attnames with their places in the row in the model's field
    order (the order `from_db` takes them in)."""
    attnames = [_field(model, name).attname for name in names]
    ordered = [field.attname for field in model._meta.concrete_fields if field.attname in attnames]
    return tuple((model, name) for name in names), ordered, [attnames.index(attname) for attname in ordered]


def instance(model: type[M], names: tuple[str, ...], row: Sequence[Any]) -> M:
    """A model instance from a row holding `names` (other fields are deferred: reading one queries the database)."""
    columns, attnames, places = _instance_layout(model, names)
    values = convert(columns, row)
    return model.from_db(DEFAULT_DB_ALIAS, attnames, [values[place] for place in places])


def db_date(value: Any) -> Any:
    """A date as a query parameter, as a DateField stores it."""
    return _db().ops.adapt_datefield_value(value)


def db_datetime(value: Any) -> Any:
    """A datetime as a query parameter, as a DateTimeField stores it (SQLite: text in UTC)."""
    return _db().ops.adapt_datetimefield_value(value)


# Values of these types go to the driver as they are (the field would return them unchanged); anything else, e.g. a
# datetime (SQLite stores text) or a dict for a JSON column, goes through the field.
_PLAIN_TYPES: dict[str, type] = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "BooleanField": bool,
    "IntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
}


def _plain_type(field: models.Field[Any, Any]) -> type | None:
    target = getattr(field, "target_field", field)  # a foreign key stores its target's value
    return _PLAIN_TYPES.get(target.get_internal_type())


def _params(db: BaseDatabaseWrapper, fields: list[tuple[Any, type | None]], values: Sequence[Any]) -> list[Any]:
    params = []
    for (field, plain), value in zip(fields, values, strict=True):
        # (a bool is an int to Python, not to an integer column)
        if value is None or (plain and isinstance(value, plain) and (plain is bool or not isinstance(value, bool))):
            params.append(value)
        else:
            params.append(field.get_db_prep_save(value, db))
    return params


@lru_cache(maxsize=64)
def _update_sql(vendor: str, model: type[models.Model], names: tuple[str, ...]) -> tuple[str, list[Any]]:
    quote = _db().ops.quote_name
    fields = [_field(model, name) for name in names]
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608  (names from the model)
    return sql, [(field, _plain_type(field)) for field in fields]


@lru_cache(maxsize=64)
def _insert_sql(
    vendor: str, model: type[models.Model], names: tuple[str, ...], unless_exists: str
) -> tuple[str, list[Any]]:
    quote = _db().ops.quote_name
    fields = [_field(model, name) for name in names]
    columns = ", ".join(quote(str(field.column)) for field in fields)
    conflict = f" ON CONFLICT ({quote(unless_exists)}) DO NOTHING" if unless_exists else ""
    table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){conflict} RETURNING {pk}"  # noqa: S608
    return sql, [(field, _plain_type(field)) for field in fields]


def update(model: type[models.Model], pk: Any, values: dict[str, Any]) -> int:
    """UPDATE one row by primary key, as `save(update_fields=…)` writes it (no signals are connected to the contact
    centre's models). Returns the number of rows changed (0 or 1)."""
    db = _db()
    sql, fields = _update_sql(db.vendor, model, tuple(values))
    return _run(sql, [*_params(db, fields, list(values.values())), pk], fetch=False)[1]


def save_fields(obj: models.Model, names: list[str]) -> None:
    """`obj.save(update_fields=names)`, written directly."""
    update(type(obj), obj.pk, {name: getattr(obj, _field(type(obj), name).attname) for name in names})


def insert(model: type[models.Model], values: dict[str, Any], *, unless_exists: str = "") -> Any | None:
    """INSERT one row; returns its primary key. With `unless_exists` (a unique column), a row that already has that
    value is left alone and None returned: on PostgreSQL this waits for a concurrent insert of the same value to
    commit or roll back, so exactly one of two concurrent inserts wins, with no savepoint to recover from."""
    db = _db()
    sql, fields = _insert_sql(db.vendor, model, tuple(values), unless_exists)
    found = _run(sql, _params(db, fields, list(values.values())), fetch=True)[0]
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
    obj._state.db = DEFAULT_DB_ALIAS
    return True
