"""
Cursor pagination over a keyset: a page of a list is "the next ``limit`` rows after this one" in
a fixed, total order (a publication time, then the id), never "rows 40 to 60". Publishing an
article puts it at the head of the list, so a client walking the list with cursors sees every
row once, none twice, whatever is published meanwhile; and the database reads the page off an
index, however deep into the archive the client has walked.

A cursor is opaque to clients: base64 of the list's name and the last row's sort values. Its
content is checked against what the list sorts by, so a cursor that is malformed, edited or
from another list is refused with a message, never passed to the database.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet

# Longest cursor accepted: a list's name and three values fit in far less.
MAX_CURSOR_LENGTH = 400


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Order:
    """A list's total order: (field, descending) pairs, the last one unique (the id)."""

    name: str
    keys: tuple[tuple[str, bool], ...]

    def order_by(self) -> list[str]:
        return [("-" if descending else "") + field for field, descending in self.keys]

    def after(self, values: tuple) -> Q:
        """Rows that come after a row with these sort values."""
        condition = Q()
        for index in range(len(self.keys) - 1, -1, -1):
            field, descending = self.keys[index]
            beyond = Q(**{f"{field}__{'lt' if descending else 'gt'}": values[index]})
            condition = (
                beyond if index == len(self.keys) - 1 else beyond | (Q(**{field: values[index]}) & condition)
            )
        return condition

    def values_of(self, row) -> tuple:
        return tuple(_attribute(row, field) for field, _ in self.keys)


def _attribute(row, field: str):
    for part in field.split("__"):
        row = getattr(row, part)
    return row


def encode(order: Order, values: tuple) -> str:
    plain = [
        order.name,
        *(value.isoformat() if isinstance(value, datetime.datetime) else value for value in values),
    ]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(order: Order, cursor: str, kinds: tuple[type, ...]) -> tuple:
    """The sort values in ``cursor``, checked: one of ``kinds`` (datetime, int or str) each."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadCursor("This cursor is too long: pass back the cursor a page gave, unchanged.")
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor("This cursor is not one this API gave: pass back next_cursor unchanged.") from None
    if not isinstance(plain, list) or not plain or plain[0] != order.name or len(plain) != len(kinds) + 1:
        raise BadCursor("This cursor belongs to another list or ordering: start again without a cursor.")
    values = []
    for value, kind in zip(plain[1:], kinds, strict=True):
        if kind is datetime.datetime:
            value = _moment(value)
        elif kind is int and (type(value) is not int or not 0 <= value < 2**63):
            raise BadCursor("This cursor has been altered: pass back next_cursor unchanged.")
        elif kind is str and (not isinstance(value, str) or "\x00" in value):
            raise BadCursor("This cursor has been altered: pass back next_cursor unchanged.")
        values.append(value)
    return tuple(values)


def _moment(value) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadCursor("This cursor has been altered: pass back next_cursor unchanged.") from None
    if moment.tzinfo is None:
        raise BadCursor("This cursor has been altered: pass back next_cursor unchanged.")
    return moment


@dataclass
class Page:
    rows: list
    next_cursor: str | None


def page(queryset: QuerySet, order: Order, kinds: tuple[type, ...], cursor: str | None, limit: int) -> Page:
    """The ``limit`` rows of ``queryset`` after ``cursor`` (from the start without one), in ``order``."""
    rows = queryset.order_by(*order.order_by())
    if cursor:
        rows = rows.filter(order.after(decode(order, cursor, kinds)))
    found = list(rows[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return Page(found, encode(order, order.values_of(found[-1])) if more else None)
