"""The app in a real browser: language switch, a GB18030 upload, and no outside requests."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from pfcrm_core.store import Store

GB18030_CLIENTS = (
    "客户编号,客户名称,客户类型,行业,区域,信用评级\n"
    "GB-001,华东清洁能源投资有限公司,投资者,energy,Greater China,A\n"
    "GB-002,西部基础设施发展银行,银行,transport,Greater China,BBB\n"
).encode("gb18030")


def _choose_language(page, label: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=label).click()


def _assert_stayed_local(page) -> None:
    log = page.request_log
    assert log.requests, "the page made no requests at all"
    assert log.external == [], "\n".join(log.external)
    assert log.broken == [], "\n".join(log.broken)


def test_overview_loads_and_switches_language(page, app_server):
    page.goto(app_server)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)

    _choose_language(page, "简体中文")

    expect(page.get_by_role("heading", name="总览")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("数据")
    _assert_stayed_local(page)


def test_gb18030_upload_imports_clients(page, app_server, tmp_path):
    csv_path = tmp_path / "客户名单.csv"
    csv_path.write_bytes(GB18030_CLIENTS)
    page.goto(f"{app_server}/data?lang=zh")
    expect(page.get_by_role("heading", name="数据").first).to_be_visible(timeout=30_000)

    page.locator('input[type="file"]').set_input_files(str(csv_path))
    expect(page.get_by_text(re.compile("GB18030", re.IGNORECASE)).first).to_be_visible(
        timeout=30_000)
    page.get_by_role("button", name="导入", exact=True).click()

    expect(page.get_by_text("已导入").first).to_be_visible(timeout=30_000)
    stored = Store(_db_path(app_server, page)).read_table("clients").set_index("client_id")
    assert stored.at["GB-001", "name"] == "华东清洁能源投资有限公司"
    assert stored.at["GB-002", "client_type"] == "bank"
    _assert_stayed_local(page)


def _db_path(app_server, page) -> str:
    caption = page.locator('[data-testid="stSidebar"]').get_by_text("数据库").inner_text()
    return caption.split("：", 1)[1].strip()
