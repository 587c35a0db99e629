import pytest

from newsroom import fragments
from tests.public.pictures import media  # noqa: F401  (a fixture: pictures saved to the test's own folder)


@pytest.fixture
def pieces_only(settings):
    """
    Whole pages are not kept (PAGE_CACHE=false, as the benchmark's cold pages): only their pieces
    and parts are. Kept pieces are the process's too: the test starts from the shared cache alone.
    """
    settings.PAGE_CACHE = False
    fragments.forget_local()
    yield
    fragments.forget_local()
