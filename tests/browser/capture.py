"""Full-page screenshots at a phone's and a laptop's width, for a person to look through after a
run (the folder is ignored by git)."""

from pathlib import Path

from playwright.sync_api import Page

WIDTHS = (375, 1280)

# Resolves once the page's CSS transitions (the admin's sidebar and panels on resizing) are over.
TRANSITIONS_DONE = """() => Promise.all(document.getAnimations()
    .filter((animation) => animation instanceof CSSTransition)
    .map((animation) => animation.finished.catch(() => null)))"""
# The admin scrolls inside its <main> element, not the window.
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
    document.querySelector("main")?.scrollHeight ?? 0)"""


def screenshot(page: Page, folder: Path, name: str) -> None:
    """The whole page as it is now, at each width. The window is made as tall as the content,
    since a full-page screenshot of the admin would show only what fits in it."""
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": size["height"]})
        page.evaluate(TRANSITIONS_DONE)
        height = max(page.evaluate(CONTENT_HEIGHT), size["height"])
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(TRANSITIONS_DONE)
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size(size)
    page.evaluate(TRANSITIONS_DONE)
