"""
Parts of pages kept as pages are: by the keys of what they show, dropped by the same purges
(docs/architecture.md, "Parts of pages kept by keys").
"""

import logging
import pickle
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache

from newsroom import fragments
from pagecache import keys
from pagecache.purges import Entry, find_current, keep, schedule
from pagecache.purges import _cache as page_cache
from pagecache.redis_backend import Unreachable

logger = logging.getLogger(__name__)

Value = TypeVar("Value")


def kept(kind: str, inputs, build: Callable[[], Value]) -> Value:
    """
    The part ``kind`` (one of settings.PARTS): what ``build()`` makes for ``inputs`` (the site,
    the address, the rows it is handed: whatever picks the part), kept until a key it read is
    purged. Its keys are those of the rows loaded while it is built, with the ones ``build()``
    records itself for rows it was handed; they are the page's keys too, whether it is built or
    found. Without a cache that keeps them, while the cache cannot be trusted, or when
    KEPT_PARTS leaves it out, it is built every time.
    """
    try:
        cache = page_cache()
    except Exception:  # a cache folder that cannot be made: the page cache says so
        return build()
    if isinstance(cache, DummyCache) or kind not in settings.KEPT_PARTS:
        return build()
    name = "newsroom:" + fragments.key(f"kept-{kind}", inputs)
    try:
        found = find_current(cache, name, schedule(cache))
    except Unreachable:  # said once, by the page cache
        found = None
    except Exception:
        logger.warning("Could not read a kept part of a page; making it afresh.", exc_info=True)
        found = None
    if found is not None and found[1] is not None:
        entry = found[1]
        keys.record(*entry.keys)
        return pickle.loads(entry.content)
    with keys.collecting() as shown:
        value = build()
    keys.record(*shown)
    if found is not None:
        try:
            keep(cache, name, Entry(found[0], tuple(sorted(shown)), pickle.dumps(value), []))
        except Exception:
            logger.warning("Could not keep a part of a page.", exc_info=True)
    return value
