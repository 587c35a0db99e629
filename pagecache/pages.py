"""Which views are public pages, and which query parameters each reads."""

import functools

from pagecache import keys as page_keys

# Query parameters that number a page of a list: ``?page=02`` is the same page as ``?page=2``.
PAGE_NUMBERS = frozenset({"page", "quotes", "articles", "p"})


def public_page(view, reads: tuple[str, ...] = (), keys: tuple[str, ...] = ()):
    """
    ``view`` as a public page: the same for every anonymous reader, so the page cache may keep it.
    Its cache entry, and the query the view is given, hold only the parameters in ``reads``: any
    other (``?utm_source=…``, or ``?x=1``, ``?x=2``, … sent to fill the cache) gets the one entry.
    ``keys``: the lists it shows that are no one row's (the newest stories, search: pagecache.keys).
    """

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        page_keys.record(*keys)
        return view(request, *args, **kwargs)

    page.public_page_reads = tuple(reads)
    return page


def reads(view) -> tuple[str, ...] | None:
    """The query parameters a public page reads; None for a view that is no public page."""
    return getattr(view, "public_page_reads", None)
