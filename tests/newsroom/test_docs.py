"""
The README and the pages in docs/ stay true: the commands and make targets they show exist, the
configuration table names only variables the code reads, their links lead somewhere, and the
README stays short enough to read in two minutes.
"""

import re
from functools import cache
from pathlib import Path

import pytest
from django.core.management import get_commands

PROJECT = Path(__file__).resolve().parent.parent.parent
README = PROJECT / "README.md"
DOCS = [README, *sorted((PROJECT / "docs").glob("*.md"))]
OPERATORS = PROJECT / "docs" / "operators.md"

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?\n(.*?)^ {0,3}\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
COMMAND = re.compile(r"\bmanage\.py[ \t]+([a-z][a-z0-9_]*)(?![\w.])")
MAKE_TARGET = re.compile(r"(?<![\w.-])make[ \t]+([a-z][a-z0-9_-]*)(?![\w./])")
MAKEFILE_RULE = re.compile(r"^([A-Za-z0-9][\w.-]*(?:[ \t]+[A-Za-z0-9][\w.-]*)*)[ \t]*:(?!=)", re.M)
LINK = re.compile(r"\[[^\]]*\]\(<?([^)\s>]+)>?(?:[ \t]+\"[^\"]*\")?\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]+)`")
# Variables a library reads for the settings, and the call in the settings that has it read them.
READ_BY_A_LIBRARY = {"DATABASE_URL": "dj_database_url.config("}


def doc_id(path: Path) -> str:
    return str(path.relative_to(PROJECT))


def code_in(text: str) -> list[str]:
    """What a page shows as code: its fenced blocks, and its inline code spans."""
    blocks = [match.group(2) for match in FENCE.finditer(text)]
    prose = FENCE.sub("", text)
    return blocks + [match.group(2) for match in CODE_SPAN.finditer(prose)]


def prose_in(text: str) -> str:
    """A page without its code, where Markdown links are links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def anchors_in(text: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    anchors, seen = set(), {}
    for heading in HEADING.findall(FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def section(text: str, title: str) -> str:
    """The text under the level-2 heading ``title``, up to the next level-2 heading."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section “## {title}”"
    return match.group(1)


def first_column(table_text: str) -> list[str]:
    """The first cell of each row of the first Markdown table in ``table_text``, header and rule left out."""
    rows = []
    for line in table_text.splitlines():
        if line.startswith("|"):
            rows.append(line.strip("|").split("|")[0].strip())
        elif rows:
            break
    return rows[2:]


def configuration_variables() -> list[str]:
    cells = first_column(section(OPERATORS.read_text(), "Configuration"))
    return [name for cell in cells for name in VARIABLE.findall(cell)]


def makefile_targets() -> set[str]:
    text = (PROJECT / "Makefile").read_text()
    return {target for rule in MAKEFILE_RULE.findall(text) for target in rule.split()}


@cache
def source_text() -> str:
    """Every Python file of the project's packages (newsroom/ and the apps), migrations and tests left out."""
    packages = [path.parent for path in PROJECT.glob("*/__init__.py") if path.parent.name != "tests"]
    files = [path for package in packages for path in package.rglob("*.py") if "migrations" not in path.parts]
    return "\n".join(path.read_text() for path in files)


def test_the_pages_are_found():
    names = {doc_id(path) for path in DOCS}
    assert {"README.md", "docs/operators.md"} <= names


def test_the_readme_is_under_eight_kilobytes():
    assert len(README.read_bytes()) < 8000


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_every_command_shown_is_one_django_knows(path):
    shown = {name for code in code_in(path.read_text()) for name in COMMAND.findall(code)}
    if path == OPERATORS:
        commands_table = first_column(section(path.read_text(), "Management commands"))
        shown |= {name for cell in commands_table for name in re.findall(r"`([a-z_]+)`", cell)}
    unknown = sorted(shown - set(get_commands()))
    assert not unknown, f"{doc_id(path)} shows manage.py commands that do not exist: {unknown}"


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_every_make_target_shown_is_in_the_makefile(path):
    shown = {target for code in code_in(path.read_text()) for target in MAKE_TARGET.findall(code)}
    unknown = sorted(shown - makefile_targets())
    assert not unknown, f"{doc_id(path)} shows make targets the Makefile lacks: {unknown}"


@pytest.mark.parametrize("path", DOCS, ids=doc_id)
def test_every_relative_link_leads_to_a_file_and_heading(path):
    broken = []
    for target in LINK.findall(prose_in(path.read_text())):
        if SCHEME.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors_in(linked.read_text()):
            broken.append(target)
    assert not broken, f"{doc_id(path)} links to files or headings that do not exist: {broken}"


def test_the_configuration_table_lists_variables():
    assert len(configuration_variables()) >= 10


@pytest.mark.parametrize("name", configuration_variables())
def test_every_configured_variable_is_read_by_the_code(name):
    source = source_text()
    read = re.search(rf"""["']{name}["']""", source) or (
        name in READ_BY_A_LIBRARY and READ_BY_A_LIBRARY[name] in source
    )
    assert read, f"{name} is in docs/operators.md's configuration table, but no code reads it"
