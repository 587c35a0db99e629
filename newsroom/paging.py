"""
Pagination whose cost does not grow with the archive.

Django's Paginator counts every row of a list to number its pages. For a section or a busy
person of a 100,000-article archive that COUNT is the slowest query on the page. Here the count
stops a few pages past the page asked for ("Page 1 of 6+"), so page 1 costs the same in a small
archive and a huge one; each page still links to the next. Pages stop at ``max_pages`` (an
OFFSET of tens of thousands of rows is slow too); every article stays reachable through the
sitemap, search, and the pages of its section, tags and people.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import IntegerField, QuerySet, Subquery
from django.utils.functional import cached_property

LOOKAHEAD_PAGES = 5
MAX_PAGES = 250


class BoundedPaginator(Paginator):
    """
    ``counted``: the rows, counted elsewhere no further than ``limit_for()`` the page asked for
    plus one (CountUpTo, in the query that fetched the list's owner), which saves a query.
    """

    def __init__(
        self,
        object_list,
        per_page,
        lookahead: int = LOOKAHEAD_PAGES,
        max_pages: int = MAX_PAGES,
        counted: int | None = None,
        **kwargs,
    ):
        self.lookahead = lookahead
        self.max_pages = max_pages
        self.wanted = 1
        super().__init__(object_list, per_page, **kwargs)
        if counted is not None:
            self._counted = counted

    def validate_number(self, number):
        # Called first by page() and get_page(): how far to count depends on the page asked for.
        self.wanted = self._wanted(number, self.max_pages)
        return super().validate_number(number)

    @staticmethod
    def _wanted(number, max_pages: int) -> int:
        try:
            return min(max(int(number), 1), max_pages)
        except (TypeError, ValueError, OverflowError):
            return 1

    @classmethod
    def limit_for(
        cls, number, per_page: int, lookahead: int = LOOKAHEAD_PAGES, max_pages: int = MAX_PAGES
    ) -> int:
        """How many rows are counted at most to show page ``number``."""
        return min(cls._wanted(number, max_pages) + lookahead, max_pages) * per_page

    @property
    def limit(self) -> int:
        """How many rows are counted at most: up to ``lookahead`` pages past the wanted one."""
        return self.limit_for(self.wanted, self.per_page, self.lookahead, self.max_pages)

    @cached_property
    def _counted(self) -> int:
        """How many rows there are, counting no further than one past the limit."""
        if isinstance(self.object_list, QuerySet):
            # Without ORDER BY, the database stops reading at the limit instead of sorting every row.
            return self.object_list.order_by()[: self.limit + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def truncated(self) -> bool:
        """There are more rows than the pages counted show."""
        return self._counted > self.limit


# Tables past this many rows (by PostgreSQL's estimate) are not counted row by row.
ESTIMATE_ABOVE = 50_000


class LargeTablePaginator(Paginator):
    """
    For the admin's change lists: an unfiltered list of a big table takes its length from
    PostgreSQL's statistics (kept by ANALYZE and autovacuum) instead of a COUNT(*) that reads
    every row. Filtered and searched lists, small tables and other databases count exactly.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                        [connection.ops.quote_name(queryset.model._meta.db_table)],
                    )
                    row = cursor.fetchone()
                if row and row[0] > ESTIMATE_ABOVE:
                    return int(row[0])
        return super().count


class CountUpTo(Subquery):
    """
    How many rows a (correlated) queryset has, counted no further than ``limit`` + 1: a list
    that shows "100+ quotes" for a head of state reads 101 of their quotes, not all of them.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, limit: int, **extra):
        super().__init__(queryset.order_by().values("pk")[: limit + 1], **extra)
