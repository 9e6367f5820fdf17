"""The explorer, used as a reader would: search, the organization page, the network, footnotes."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, screenshot

GROUP = "Aknaf Bait al-Maqdis"
LATER_ALLY = "Hay'at Tahrir al-Sham"  # an ally in 2018, not in 2014


def _open_group(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/explore")
    page.get_by_role("combobox").fill("aknaf beit")
    first = page.locator("#suggestions li").first
    expect(first).to_contain_text(GROUP)
    page.keyboard.press("Enter")  # the first suggestion is highlighted: keyboard alone opens it
    expect(page.locator("#entity h1")).to_contain_text(GROUP)


def test_search_suggests_the_group_and_its_page_shows_every_section(
    page: Page, base_url: str
) -> None:
    _open_group(page, base_url)
    arabic = page.locator('#names [dir="rtl"]')
    expect(arabic.first).to_have_attribute("lang", "ar")
    expect(arabic.first).to_contain_text("أكناف بيت المقدس")
    for heading in ["Names", "Operating periods", "Relationships", "Events", "Network", "Timeline"]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator('#relationships [data-type="ally"] li').first).to_be_visible()
    expect(page.locator('#relationships [data-type="opponent"] li').first).to_be_visible()
    expect(page.locator("#timeline-svg .range").first).to_be_attached()  # uncertain dates: ranges
    screenshot(page, "organization-page")


def test_the_network_redraws_as_of_a_year_and_opens_a_node(page: Page, base_url: str) -> None:
    _open_group(page, base_url)
    network = page.locator("#network-svg")
    expect(network.locator(".node").nth(5)).to_be_attached()
    expect(network.locator('line[data-type="ally"]').first).to_be_attached()
    expect(network.locator('line[data-type="opponent"]').first).to_be_attached()
    later_ally = network.locator(f'.node[aria-label^="{LATER_ALLY}"]')
    expect(later_ally).to_have_count(1)
    all_time = network.locator(".node").count()
    network.scroll_into_view_if_needed()
    page.locator("#network").screenshot(path=str(SCREENSHOTS / "network.png"))

    page.locator("#as-of").fill("2014")
    expect(network).to_have_attribute("data-as-of", "2014")
    expect(page.locator("#as-of-label")).to_have_text("As of 2014")
    expect(later_ally).to_have_count(0)
    assert network.locator(".node").count() < all_time
    page.locator("#network").screenshot(path=str(SCREENSHOTS / "network-2014.png"))

    maximum = page.locator("#as-of").get_attribute("max")
    page.locator("#as-of").fill(str(maximum))
    expect(network).to_have_attribute("data-as-of", "")
    expect(later_ally).to_have_count(1)

    page.locator("#network-svg").dispatch_event("wheel", {"deltaY": -100})  # zoom, no error
    later_ally.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#entity h1")).to_contain_text(LATER_ALLY)


def test_a_footnote_opens_the_reference_with_its_title_and_publisher(
    page: Page, base_url: str
) -> None:
    profile = httpx.get(f"{base_url}/organizations/aknaf-bait-al-maqdis").json()
    citation = next(
        c
        for link in profile["relationships"]
        for c in link["citations"]
        if c["reference_number"] and c["source"]["publisher"]
    )
    title, publisher = citation["source"]["title"], citation["source"]["publisher"]
    _open_group(page, base_url)
    note = page.locator(f'#relationships button.fn[aria-label$="{title}"]').first
    note.click()
    dialog = page.locator("dialog#footnote")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".citation .title")).to_have_text(title)
    expect(dialog).to_contain_text(publisher)
    expect(dialog).to_contain_text(f"no. {citation['reference_number']} in the article")
    expect(dialog.locator("blockquote")).to_contain_text(citation["quote"][:40])
    screenshot(page, "footnote")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_page_fits_a_phone(page: Page, base_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _open_group(page, base_url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than the screen"
    screenshot(page, "organization-phone")


def test_the_docs_page_renders_and_try_it_out_works(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    operation = page.locator("#operations-Search-search")
    expect(operation).to_be_visible()
    assert page.locator(".opblock").count() > 40
    operation.locator(".opblock-summary").click()
    page.locator('#operations-Search-search input[placeholder="q"]').fill("aknaf beit")
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_have_text(re.compile(r"^\s*200"))
    expect(operation.locator(".live-responses-table")).to_contain_text(GROUP)
    screenshot(page, "docs")
