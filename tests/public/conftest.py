from tests.public.pictures import media  # noqa: F401  (a fixture: pictures saved to the test's own folder)
