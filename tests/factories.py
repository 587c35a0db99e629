import factory
from django.utils import timezone

from articles.models import Article, Person, Quote, Section


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Number{n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    role = "Spokesperson"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-{n}")
    dek = "A short standfirst."
    body = "## A subhead\n\nThe first paragraph.\n\nThe second paragraph."
    section = factory.SubFactory(SectionFactory)
    byline = "By A. Reporter"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(PersonFactory)
    text = "The first paragraph."
    order = factory.Sequence(lambda n: n + 1)
