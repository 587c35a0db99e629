"""The editors' admin, driven through real requests and real form posts."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from articles.models import Article, Quote
from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html_forms import form_data


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_article_changelist",
        "admin:articles_person_changelist",
        "admin:articles_quote_changelist",
        "admin:articles_section_changelist",
        "admin:articles_article_add",
        "admin:articles_person_add",
        "admin:articles_section_add",
        "admin:taggit_tag_changelist",
    ],
)
def test_every_admin_page_opens(editor_client, seed, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_article_change_list_filters_on_status_section_and_tags(editor_client, seed):
    ArticleFactory(section=SectionFactory(name="Politics"))
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    filters = response.context["cl"].filter_specs
    assert [str(spec.title).lower() for spec in filters] == ["status", "section", "topic"]


def test_article_change_list_narrows_to_a_tag(editor_client, seed):
    other = ArticleFactory()
    other.tags.add("Elections")
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"tag": "elections"})
    assert list(response.context["cl"].result_list) == [other]


@pytest.mark.parametrize("term, found", [("Istanbul", True), ("Discuss", True), ("Atlantis", False)])
def test_article_search_covers_headline_and_body(editor_client, seed, term, found):
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": term})
    assert (seed in response.context["cl"].result_list) is found


def test_article_change_form_has_quotes_inline_autocomplete_and_view_on_site(editor_client, seed):
    response = editor_client.get(reverse("admin:articles_article_change", args=[seed.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="quotes-TOTAL_FORMS"' in html
    fields = response.context["adminform"].form.fields
    assert type(fields["section"].widget.widget).__name__ == "AutocompleteSelect"
    assert type(fields["people"].widget.widget).__name__ == "AutocompleteSelectMultiple"
    assert "data-prepopulated-fields" in html or "prepopulated_fields" in html
    content_type = ContentType.objects.get_for_model(Article)
    assert reverse("admin:view_on_site", args=[content_type.pk, seed.pk]) in html
    # Seventeen quotes fit on a screen or two: each box is two rows, not Django's ten.
    quote_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert quote_form.fields["text"].widget.attrs["rows"] == 2


def test_speaker_autocomplete_finds_people_by_name(editor_client, seed):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "quote", "field_name": "speaker", "term": "Peskov"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Dmitry Peskov"]


def test_person_change_list_counts_quotes_and_articles(editor_client, seed):
    response = editor_client.get(reverse("admin:articles_person_changelist"))
    rows = {person.name: person for person in response.context["cl"].result_list}
    assert (rows["Volodymyr Zelenskyy"].quote_count, rows["Volodymyr Zelenskyy"].article_count) == (4, 1)
    assert (rows["Marco Rubio"].quote_count, rows["Marco Rubio"].article_count) == (0, 1)
    html = response.content.decode()
    assert "column-quote_count" in html and "column-article_count" in html


def _change_form(editor_client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return url, form_data(editor_client.get(url).content.decode(), "article_form")


def test_saving_an_article_with_a_new_inline_quote_through_the_form(editor_client, seed):
    speaker = seed.people.get(slug="steve-witkoff")
    url, data = _change_form(editor_client, seed)
    index = int(data["quotes-TOTAL_FORMS"][0])
    data["quotes-TOTAL_FORMS"] = [str(index + 1)]
    data.update(
        {
            f"quotes-{index}-speaker": [str(speaker.pk)],
            f"quotes-{index}-order": ["18"],
            f"quotes-{index}-text": ["help alleviate some of the current stalemate"],
            f"quotes-{index}-context": ["On the call"],
            f"quotes-{index}-article": [str(seed.pk)],
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    quote = Quote.objects.get(article=seed, order=18)
    assert (quote.speaker, quote.text) == (speaker, "help alleviate some of the current stalemate")
    assert seed.quotes.count() == 18


def test_a_quote_missing_from_the_body_is_refused_with_the_missing_words(editor_client, seed):
    speaker = PersonFactory()
    url, data = _change_form(editor_client, seed)
    index = int(data["quotes-TOTAL_FORMS"][0])
    data["quotes-TOTAL_FORMS"] = [str(index + 1)]
    data.update(
        {
            f"quotes-{index}-speaker": [str(speaker.pk)],
            f"quotes-{index}-order": ["18"],
            f"quotes-{index}-text": ["frank and meaningless talks"],
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "meaningless talks" in response.content.decode()
    assert seed.quotes.count() == 17


def test_saving_an_unchanged_article_as_a_browser_sends_it_changes_nothing(editor_client, seed):
    body = seed.body
    assert "\n" in body and "\r" not in body
    url, data = _change_form(editor_client, seed)
    # Browsers send a textarea's line breaks as CRLF.
    data["body"] = [data["body"][0].replace("\n", "\r\n")]
    data["dek"] = [data["dek"][0].replace("\n", "\r\n")]

    assert editor_client.post(url, data).status_code == 302

    seed.refresh_from_db()
    assert seed.body == body
    entry = LogEntry.objects.filter(object_id=str(seed.pk)).latest("action_time")
    assert entry.get_change_message() == "No fields changed."


def test_a_published_articles_address_cannot_change_so_links_keep_working(editor_client, seed):
    url, data = _change_form(editor_client, seed)
    data["slug"] = ["a-new-address"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert f"This article has been public at /articles/{seed.slug}/" in response.content.decode()
    seed.refresh_from_db()
    assert seed.slug == SEED_SLUG


def test_a_drafts_address_can_still_change(editor_client, seed):
    Article.objects.filter(pk=seed.pk).update(status=Article.Status.DRAFT, published_at=None)
    url, data = _change_form(editor_client, seed)
    data["slug"] = ["a-new-address"]

    assert editor_client.post(url, data).status_code == 302
    seed.refresh_from_db()
    assert seed.slug == "a-new-address"


def test_adding_an_article_with_its_quotes_in_one_form(editor_client, seed, admin_user):
    url = reverse("admin:articles_article_add")
    data = form_data(editor_client.get(url).content.decode(), "article_form")
    speaker = seed.people.get(slug="karoline-leavitt")
    data.update(
        {
            "headline": ["Leavitt briefs reporters"],
            "slug": ["leavitt-briefs-reporters"],
            "body": ["## Briefing\n\nThe press secretary said it was 'a good day' for talks."],
            "section": [str(seed.section.pk)],
            "tags": ["Briefings"],
            "quotes-TOTAL_FORMS": ["1"],
            "quotes-0-speaker": [str(speaker.pk)],
            "quotes-0-order": ["1"],
            "quotes-0-text": ["a good day"],
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="leavitt-briefs-reporters")
    assert (article.status, article.created_by) == (Article.Status.DRAFT, admin_user)
    assert [quote.text for quote in article.quotes.all()] == ["a good day"]
    assert list(article.tags.names()) == ["Briefings"]


def test_new_quotes_left_at_order_0_are_numbered_and_their_speakers_join_the_story(editor_client, seed):
    url = reverse("admin:articles_article_add")
    data = form_data(editor_client.get(url).content.decode(), "article_form")
    leavitt, vance = seed.people.get(slug="karoline-leavitt"), seed.people.get(slug="jd-vance")
    data.update(
        {
            "headline": ["Leavitt briefs reporters"],
            "slug": ["leavitt-briefs-reporters"],
            "body": [
                "The press secretary said it was 'a good day'. Vance called it 'a start', 'nothing more'."
            ],
            "quotes-TOTAL_FORMS": ["3"],
        }
    )
    for index, (speaker, text) in enumerate(
        [(leavitt, "a good day"), (vance, "a start"), (vance, "nothing more")]
    ):
        data.update(
            {
                f"quotes-{index}-speaker": [str(speaker.pk)],
                f"quotes-{index}-order": ["0"],  # as the form offers it
                f"quotes-{index}-text": [text],
            }
        )

    assert editor_client.post(url, data).status_code == 302

    article = Article.objects.get(slug="leavitt-briefs-reporters")
    assert list(article.quotes.values_list("order", "text")) == [
        (1, "a good day"),
        (2, "a start"),
        (3, "nothing more"),
    ]
    assert set(article.people.all()) == {leavitt, vance}


def _post_new_quote_at_order_0(editor_client, article, speaker, text):
    url, data = _change_form(editor_client, article)
    index = int(data["quotes-TOTAL_FORMS"][0])
    data["quotes-TOTAL_FORMS"] = [str(index + 1)]
    data.update(
        {
            f"quotes-{index}-speaker": [str(speaker.pk)],
            f"quotes-{index}-order": ["0"],
            f"quotes-{index}-text": [text],
        }
    )
    return editor_client.post(url, data)


def test_a_quote_added_to_a_story_is_numbered_after_its_others(editor_client, seed):
    witkoff = seed.people.get(slug="steve-witkoff")
    response = _post_new_quote_at_order_0(
        editor_client, seed, witkoff, "help alleviate some of the current stalemate"
    )

    assert response.status_code == 302
    assert seed.quotes.get(text="help alleviate some of the current stalemate").order == 18


def test_a_quote_added_in_the_form_brings_its_speaker_into_the_story(editor_client, seed):
    newcomer = PersonFactory(name="Ada Lovelace")

    assert _post_new_quote_at_order_0(editor_client, seed, newcomer, "productive day").status_code == 302
    assert newcomer in seed.people.all()


def test_a_new_articles_quote_is_checked_against_the_body_typed_in_the_same_form(editor_client, seed):
    url = reverse("admin:articles_article_add")
    data = form_data(editor_client.get(url).content.decode(), "article_form")
    data.update(
        {
            "headline": ["A story"],
            "slug": ["a-story"],
            "body": ["Nothing quoted here."],
            "section": [str(seed.section.pk)],
            "quotes-TOTAL_FORMS": ["1"],
            "quotes-0-speaker": [str(seed.people.first().pk)],
            "quotes-0-order": ["1"],
            "quotes-0-text": ["words never said"],
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "words never said" in response.content.decode()
    assert not Article.objects.filter(slug="a-story").exists()


def test_admin_requires_a_staff_login(client, db):
    ArticleFactory()
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
