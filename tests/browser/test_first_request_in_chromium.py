"""A link to a page other than the Overview, opened as a new server's first request."""

from __future__ import annotations

from playwright.sync_api import expect

from pfcrm_core.i18n import translate

TIMEOUT_MS = 60_000


def test_deep_link_first_has_no_dialog(page, fresh_app_server):
    page.goto(f"{fresh_app_server}/profile?client=C-0243&lang=en")
    expect(page.get_by_role("heading", name=translate("profile.title", "en")).first
           ).to_be_visible(timeout=TIMEOUT_MS)
    # Streamlit sends its "Page not found" message before the page's own elements,
    # so once the heading is drawn, a false dialog would already be on screen.
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0,
                                                                         timeout=TIMEOUT_MS)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert page.url.startswith(f"{fresh_app_server}/profile?"), page.url
