"""Pieces of pages kept by what they are made of (newsroom.fragments): built once, never stale."""

import pytest

from newsroom import fragments
from newsroom.settings import cache_from_url


@pytest.fixture(autouse=True)
def _nothing_kept_in_this_process():
    fragments.forget_local()
    yield
    fragments.forget_local()


@pytest.fixture
def built():
    """Every piece built, and a build function for each input."""
    made = []

    def build(inputs):
        def make():
            made.append(inputs)
            return f"<p>{inputs}</p>"

        return make

    return made, build


def test_a_piece_is_built_once_for_the_same_inputs(built):
    made, build = built

    pieces = [fragments.kept("test", ("a", 1), build(("a", 1))) for _ in range(3)]

    assert pieces == ["<p>('a', 1)</p>"] * 3
    assert made == [("a", 1)]


def test_other_inputs_make_another_piece(built):
    made, build = built

    fragments.kept("test", ("a", 1), build(("a", 1)))
    fragments.kept("test", ("a", 2), build(("a", 2)))
    fragments.kept("other", ("a", 1), build(("a", 1)))

    assert made == [("a", 1), ("a", 2), ("a", 1)]


def test_a_shared_piece_is_read_back_by_another_process(built):
    made, build = built
    fragments.kept("test", "x", build("x"), shared=True)
    fragments.forget_local()  # another process: the shared cache alone

    assert fragments.kept("test", "x", build("x"), shared=True) == "<p>x</p>"
    assert made == ["x"]


def test_many_pieces_are_built_only_where_missing(built):
    made, build = built
    fragments.kept("test", "b", build("b"), shared=True)
    fragments.forget_local()

    pieces = fragments.kept_many("test", [(name, build(name)) for name in "abc"], shared=True)

    assert pieces == ["<p>a</p>", "<p>b</p>", "<p>c</p>"]
    assert made == ["b", "a", "c"]


def test_a_cache_that_does_not_answer_costs_the_saving_not_the_page(built, settings):
    made, build = built
    # Nothing listens on port 1: every operation on this Redis fails at once.
    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:1/0")}

    assert fragments.kept("test", "x", build("x"), shared=True) == "<p>x</p>"
    assert made == ["x"]


def test_a_process_keeps_at_most_its_share_of_characters(built, monkeypatch):
    made, build = built
    monkeypatch.setattr(fragments, "LOCAL_CHARACTERS", 30)

    for name in ("first", "second", "third", "first"):
        fragments.kept("test", name, build(name))

    assert made == ["first", "second", "third", "first"]  # the oldest went first


def test_a_change_to_the_code_starts_new_keys(settings, tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "templates").mkdir()
    card = tmp_path / "templates" / "card.html"
    card.write_text("<p>{{ article }}</p>")
    settings.BASE_DIR = tmp_path

    def key():
        monkeypatch.setattr(fragments, "_code", "")
        return fragments.key("card", ("a", 1))

    before = key()
    assert key() == before
    card.write_text("<p class=card>{{ article }}</p>")
    assert key() != before


def test_a_row_is_every_field_it_was_read_with(db):
    from articles.models import Section

    Section.objects.create(name="World", slug="world")
    whole, named = Section.objects.get(), Section.objects.only("name").get()

    assert fragments.row(whole) == (
        "articles_section",
        ("id", whole.pk),
        ("name", "World"),
        ("slug", "world"),
        ("description", ""),
        ("order", 0),
    )
    assert fragments.row(named) == ("articles_section", ("id", whole.pk), ("name", "World"))
    assert fragments.row(None) is None
