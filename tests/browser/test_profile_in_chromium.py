"""The client profile in Chromium, opened from a table row and from a shared URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from pfcrm_core.i18n import translate

TIMEOUT_MS = 60_000
# Streamlit 1.67 draws a table's header and each row 35 px high by default, and
# the first column is the row-selection checkbox. The grid is a canvas, so a row
# is clicked by its position.
ROW_HEIGHT = 35
CHECKBOX_X = 17
KNOWN_CLIENT = ("C-0243", "Heronreach Pension Fund")


def _assert_stayed_local(page) -> None:
    log = page.request_log
    assert log.requests, "the page made no requests at all"
    assert log.external == [], "\n".join(log.external)
    assert log.broken == [], "\n".join(log.broken)


def _cell_text(grid, column: int, row: int) -> str:
    # The grid keeps an accessible copy of the visible cells. Columns count from 1
    # after the checkbox column, and rows from 0 after the header.
    cell = grid.locator(f'[data-testid="glide-cell-{column}-{row}"]')
    return (cell.text_content(timeout=TIMEOUT_MS) or "").strip()


def _click_row(page, grid, row: int) -> None:
    canvas = grid.locator('[data-testid="stDataFrame"] canvas').first
    canvas.wait_for(timeout=TIMEOUT_MS)
    box = canvas.bounding_box()
    assert box is not None, "the table has no canvas on screen"
    page.mouse.click(box["x"] + CHECKBOX_X,
                     box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)


@pytest.mark.parametrize(("path", "heading", "key"), [
    ("", "overview.title", "overview_top_clients"),
    ("clv", "app.page.clv", "clv_table"),
])
def test_table_row_opens_profile(page, app_server, path, heading, key):
    page.goto(f"{app_server}/{path}?lang=en")
    expect(page.get_by_role("heading", name=translate(heading, "en")).first
           ).to_be_visible(timeout=TIMEOUT_MS)
    grid = page.locator(f".st-key-{key}")
    grid.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
    expect(page.get_by_text(translate("client_table.hint", "en")).first
           ).to_be_visible(timeout=TIMEOUT_MS)
    # The second row, so a selection that always opened the first would fail.
    client_id, name = _cell_text(grid, 1, 1), _cell_text(grid, 2, 1)
    assert re.fullmatch(r"C-\d{4}", client_id), client_id

    _click_row(page, grid, 1)

    page.wait_for_url(re.compile(r"/profile\?"), timeout=TIMEOUT_MS)
    query = parse_qs(urlparse(page.url).query)
    assert query["client"] == [client_id]
    assert query["lang"] == ["en"]
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(
        timeout=TIMEOUT_MS)
    expect(page.get_by_text(client_id).first).to_be_visible()
    _assert_stayed_local(page)


def test_shared_url_opens_profile_in_chinese(page, app_server):
    client_id, name = KNOWN_CLIENT
    page.goto(f"{app_server}/profile?client={client_id}&lang=zh")

    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(
        timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name=translate("profile.title", "zh"))
           ).to_be_visible()
    expect(page.get_by_role("heading", name=translate("profile.section.deals", "zh"))
           ).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("tab", name=translate("profile.tab.overview", "zh"))
           ).to_be_visible()
    _assert_stayed_local(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_id_gives_message(page, app_server, lang):
    page.goto(f"{app_server}/profile?client=X-9999&lang={lang}")

    message = translate("profile.error.unknown_client", lang, client_id="X-9999")
    expect(page.get_by_text(message)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("textbox", name=translate("profile.search.label", lang))
           .first).to_be_visible()
    _assert_stayed_local(page)
