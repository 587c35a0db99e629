"""
The interactive API docs (/api/docs) in real Chromium under the site's Content-Security-Policy:
Swagger UI from our own static files, no inline script, and a request made from the page works.
"""

import pytest

from tests.api.conftest import assert_nothing_hidden

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_works_under_the_sites_csp_and_tries_a_request(chromium, live_server, newsroom):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto(f"{live_server.url}/api/docs")

    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    page.wait_for_selector("#operations-default-quote_list", timeout=15000)
    assert page.locator(".opblock").count() >= 8

    page.click("#operations-default-quote_list .opblock-summary")
    page.fill("#operations-default-quote_list input[placeholder='speaker']", "vladimir-putin")
    page.click("#operations-default-quote_list .execute")
    page.wait_for_selector(
        "#operations-default-quote_list .live-responses-table tbody .response-col_status", timeout=15000
    )

    status = page.locator(
        "#operations-default-quote_list .live-responses-table tbody .response-col_status"
    ).first
    assert status.inner_text().strip().startswith("200")
    body = page.locator("#operations-default-quote_list .live-responses-table .microlight").first.inner_text()
    assert "vladimir-putin" in body
    assert_nothing_hidden(body)
    assert problems == [], f"errors in the page: {problems}"
    assert all(url.startswith(live_server.url) for url in requested), "the docs page reached another site"
    page.close()  # its kept-alive connections would hold the server's database connection open
