"""Counts on the staff task lists (the pagination summary and the menu badges), bounded in cost.

An exact count of an actor's open tasks joins tasks, processes and incidents for every row: with 100,000
open tasks it took 110 ms written by hand and 250-400 ms as the ORM writes the scope (bench/task_list.py,
EXPLAIN ANALYZE), more than the whole first page may take. So the lists count at most COUNT_LIMIT rows (or up
to the end of the requested page, when that is further): below that every figure is the exact one, as
before; above it the page says "1000+" and pagination still knows whether a next page exists. Counting stops
after the first rows PostgreSQL finds (`SELECT count(*) FROM (… LIMIT n)`): 7-12 ms for 1,001 of 100,000.
It cannot stop early when the list is a small part of many open tasks of the flow (another actor's, or for
another role): then it still reads them all, as the list's own page query does.

A request counts each distinct query once: on the list's first page, without filters, the queue's badge and
its pagination summary count the same tasks, so they share one count.
"""

from math import ceil

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

COUNT_LIMIT = 1000


def bounded_count(queryset, *, bound: int | None, request=None) -> int:
    """Rows of `queryset`, counting no further than `bound` (a result equal to `bound` means "at least";
    None counts them all)."""
    # Only the ids: the list's queryset also selects each task's process, which counting does not need.
    counted = queryset.order_by().values("pk")[:bound]
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # a scope that cannot match anything: no query to run
        return 0
    key = (sql, repr(params))
    memo = request.__dict__.setdefault("_cooperanet_task_counts", {}) if request is not None else {}
    if key not in memo:
        memo[key] = _count(counted, sql, params)
    return memo[key]


def _count(counted, sql: str, params) -> int:
    connection = connections[counted.db]
    if connection.vendor != "postgresql":
        return counted.count()
    # With the default cost of a random page (4, for spinning disks) PostgreSQL hashes every open task of the
    # flow with its process and incident (100,000 rows: 130-190 ms) before counting; at 1.1, the usual figure
    # for tables held in memory, it follows the indexes and stops at the bound (8-12 ms), sooner still without
    # parallel workers, whose start costs more than counting a thousand rows. The statements go in one round
    # trip, which PostgreSQL runs as one transaction: the SET LOCALs end with it (or, inside a caller's
    # transaction, with that one: they only steer plans).
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0; "
            f"SELECT COUNT(*) FROM ({sql}) AS bounded",
            params,
        )
        return cursor.fetchone()[0]


def count_label(counted: int, *, limit: int | None = None) -> int | str:
    """The exact number (an int, rendered as before), or "1000+" when counting stopped past `limit`."""
    limit = COUNT_LIMIT if limit is None else limit
    return f"{limit}+" if counted > limit else counted


class BoundedCountPaginator(Paginator):
    """Django's paginator over a count that stops past the requested page (or past COUNT_LIMIT rows).

    `count` is the exact total, or None when there are more rows than were counted (the template then shows
    `count_label`, and viewflow's list leaves out its "select all N" offer, which needs the total).
    """

    def __init__(self, object_list, per_page, *, number: int | None = 1, request=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.request = request
        # One row past the requested page tells whether a next page exists. number=None (the "last" page)
        # needs the exact total.
        self.bound = None if number is None else max(COUNT_LIMIT, number * self.per_page) + 1

    @cached_property
    def counted(self) -> int:
        return bounded_count(self.object_list, bound=self.bound, request=self.request)

    @cached_property
    def count(self) -> int | None:
        return None if self.bound is not None and self.counted >= self.bound else self.counted

    @cached_property
    def count_label(self) -> int | str:
        return self.counted if self.bound is None else count_label(self.counted, limit=self.bound - 1)

    @cached_property
    def num_pages(self) -> int:
        # When bounded: at least one page past the requested one, which is all the list's arrows need.
        if self.counted == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, self.counted - self.orphans) / self.per_page)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.counted:
            top = self.counted
        return self._get_page(self.object_list[bottom:top], number, self)


class TaskCountBadge:
    """A badge of viewflow's flow menu (`{{ user_queue.count }}`): a list's tasks, bounded like its pages.

    `queryset` is a callable: the list's scope is built only if the menu is drawn.
    """

    def __init__(self, queryset, request):
        self._queryset = queryset
        self._request = request

    @cached_property
    def count(self) -> int | str:
        return count_label(bounded_count(self._queryset(), bound=COUNT_LIMIT + 1, request=self._request))
