"""The layout the README describes: apps by area, imports running one way, each app readable."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
APPS = (
    "api", "articles", "bodytext", "copydesk", "desk", "images", "ingest", "newsroom", "pagecache", "public",
    "sources", "synthetic",
)  # fmt: skip

# What each app may import of the others (README, "Layout"; docs/architecture.md). newsroom's
# site-wide pieces (paginators, say) serve every app.
MAY_IMPORT = {
    "bodytext": set(),
    "images": {"newsroom"},
    "articles": {"bodytext", "images", "newsroom"},
    "ingest": {"articles.body", "bodytext"},
    "pagecache": {"articles", "images", "newsroom"},
    "public": {"articles", "bodytext", "images", "pagecache", "newsroom"},
    # Staff-only source records: the desk and the synthetic archive may import them; public and
    # api never may, so nothing recorded about a source can reach a reader page or the API.
    "sources": {"articles", "newsroom"},
    # Turning copy into stories (import from text, find quotes): the desk's article admin uses it.
    "copydesk": {"articles", "bodytext", "ingest", "newsroom"},
    "desk": {"api.models", "articles", "bodytext", "copydesk", "images", "ingest", "newsroom", "sources"},
    "synthetic": {"articles", "bodytext", "images", "pagecache", "newsroom", "sources"},
    # The project wires the apps together in its urls; its site-wide pieces import none of them.
    "api": {"articles", "bodytext", "images", "pagecache", "newsroom"},
    "newsroom": {"api.urls", "desk.login", "public.urls"},
}


def modules(app: str):
    for path in sorted((PROJECT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
    return names


def allowed(name: str, app: str) -> bool:
    top = name.split(".")[0]
    if top not in APPS or top == app:
        return True
    return any(name == rule or name.startswith(rule + ".") for rule in MAY_IMPORT[app])


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_only_what_lies_below_it(app):
    wrong = {
        f"{path.relative_to(PROJECT)}: {name}"
        for path in modules(app)
        for name in imported(path)
        if not allowed(name, app) and not any(allowed(full, app) for full in _fuller(name, path))
    }
    assert not wrong


def _fuller(name: str, path: Path) -> list[str]:
    # ``from articles import body`` names the module articles.body, which may be allowed alone.
    return [other for other in imported(path) if other.startswith(name + ".")]


def test_the_importer_is_plain_python():
    django = {
        f"{path.relative_to(PROJECT)}: {name}"
        for path in modules("ingest")
        for name in imported(path)
        if name.split(".")[0] == "django"
    }
    assert not django


@pytest.mark.parametrize("app", APPS)
def test_each_app_is_small_enough_to_read_in_a_sitting(app):
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in modules(app))
    assert lines <= 2200, f"{app}/ holds {lines} lines of Python: split it by area"
