"""
Pieces of pages kept by what they are made of (docs/performance.md, "Where a cold page's time
goes"): the key is a digest of every input of the rendering, so a kept piece is never stale.
"""

import functools
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# What one process keeps in its own memory, in characters of HTML (about a megabyte each).
LOCAL_CHARACTERS = 8_000_000
# How long the shared cache keeps a piece: an edited article's old body is never asked for
# again, and goes then (or sooner, when Redis needs the room). A day covers the stories being
# edited; a crawl of the whole archive leaves a day's worth of bodies behind, not a week's.
SHARED_SECONDS = 24 * 60 * 60
# The code that writes the pieces: a deployment that changes it starts new keys, so a piece
# written by the old code is never read by the new.
CODE_SUFFIXES = (".py", ".html")
PACKAGES = ("django", "markdown-it-py", "nh3")

_local: OrderedDict[str, str] = OrderedDict()
_local_characters = 0
_lock = threading.Lock()
_code = ""


def code_version() -> str:
    """A digest of the project's code and templates and of the packages that render its HTML."""
    global _code
    if not _code:
        digest = hashlib.blake2b(digest_size=16)
        root = Path(settings.BASE_DIR)
        # The project's packages (its apps and settings) and its templates, not the tests.
        folders = [
            path for path in root.iterdir() if (path / "__init__.py").exists() and path.name != "tests"
        ]
        for folder in sorted([*folders, root / "templates"]):
            for path in sorted(folder.rglob("*")):
                if path.suffix in CODE_SUFFIXES and path.is_file():
                    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        for package in PACKAGES:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        _code = digest.hexdigest()
    return _code


def key(kind: str, inputs) -> str:
    """The key of the piece ``kind`` made of ``inputs``: a tuple of strings, numbers, times…"""
    made_of = repr((code_version(), inputs)).encode("utf-8", "surrogatepass")
    return f"fragment:{kind}:{hashlib.blake2b(made_of, digest_size=20).hexdigest()}"


@functools.cache
def _columns(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def row(instance) -> tuple | None:
    """
    A model instance as part of a key: its model and every field it was read with, whichever of
    them the piece shows (a field left unread is never shown: reading it would cost a query).
    """
    if instance is None:
        return None
    values = instance.__dict__
    # A page's pieces name a few hundred rows: the model's columns are listed once.
    return (
        instance._meta.db_table,
        *[(name, values[name]) for name in _columns(type(instance)) if name in values],
    )


def _remember(name: str, html: str) -> None:
    global _local_characters
    with _lock:
        if name not in _local:
            _local[name] = html
            _local_characters += len(html)
        while _local_characters > LOCAL_CHARACTERS and _local:
            _local_characters -= len(_local.popitem(last=False)[1])


def _recall(name: str) -> str | None:
    with _lock:
        html = _local.get(name)
        if html is not None:
            _local.move_to_end(name)
        return html


def kept(kind: str, inputs, build: Callable[[], str], *, shared: bool = False) -> str:
    """
    The piece ``build()`` makes of ``inputs``: from this process's memory, else (``shared``)
    from Django's cache, which every process reads, else built now and kept.
    """
    return kept_many(kind, [(inputs, build)], shared=shared)[0]


def kept_many(kind: str, pieces: Iterable[tuple], *, shared: bool = False) -> list[str]:
    """kept() for many (inputs, build) pairs, with one round trip to the shared cache."""
    pieces = [(key(kind, inputs), build) for inputs, build in pieces]
    found = {name: html for name, _ in pieces if (html := _recall(name)) is not None}
    missing = [name for name, _ in pieces if name not in found]
    if shared and missing:
        found |= _shared(cache.get_many, missing) or {}
    made = {}
    for name, build in pieces:
        if name not in found:
            found[name] = made[name] = build()
        _remember(name, found[name])
    if shared and made:
        _shared(cache.set_many, made, SHARED_SECONDS)
    return [found[name] for name, _ in pieces]


def _shared(operation, *args):
    # A cache that fails costs the saving, never the page.
    try:
        return operation(*args)
    except Exception as error:  # noqa: BLE001 (any backend's failure: Redis, files, memory)
        logger.warning("Fragments go without the shared cache: %s", error)
        return None


def forget_local() -> None:
    """Empty this process's memory of pieces (tests that count what is built)."""
    global _local_characters
    with _lock:
        _local.clear()
        _local_characters = 0
