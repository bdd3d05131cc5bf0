"""What a keyboard user sees at each stop: helpers for the browser tests."""

import io

from PIL import Image, ImageChops

# Where the focused element is, how much of it is on screen, and whether something else (a
# sticky panel, a banner) is drawn over the middle of its visible part.
FOCUS_STATE = """() => {
    const element = document.activeElement;
    const box = element.getBoundingClientRect();
    const left = Math.max(box.left, 0), top = Math.max(box.top, 0);
    const right = Math.min(box.right, window.innerWidth);
    const bottom = Math.min(box.bottom, window.innerHeight);
    const onScreen = right > left && bottom > top;
    const hit = onScreen ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
    return {
        description: `${element.tagName.toLowerCase()} ${element.name || element.id || ""} `
            + `“${(element.innerText || element.value || "").trim().slice(0, 40)}”`,
        text: (element.innerText || "").trim(),
        name: element.name || "",
        box: {x: left, y: top, width: right - left, height: bottom - top},
        onScreen: onScreen,
        covered: !(hit && (hit === element || element.contains(hit))),
    };
}"""


# Smooth scrolling (on unless the visitor prefers reduced motion) takes a few frames to bring the
# focused element into view: wait until the page has stopped moving.
SCROLL_SETTLED = """() => new Promise(resolve => {
    let last = null, still = 0;
    const tick = () => {
        const position = `${window.scrollX},${window.scrollY}`;
        still = position === last ? still + 1 : 0;
        last = position;
        if (still >= 3) { resolve(true); } else { requestAnimationFrame(tick); }
    };
    requestAnimationFrame(tick);
})"""


def focus_state(page) -> dict:
    if not page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches"):
        page.evaluate(SCROLL_SETTLED)
    return page.evaluate(FOCUS_STATE)


def assert_focus_not_obscured(page) -> dict:
    """The focused element is on screen and nothing is drawn over it (WCAG 2.4.11)."""
    state = focus_state(page)
    assert state["onScreen"], f"{state['description']} is off screen"
    assert not state["covered"], f"{state['description']} is hidden behind another element"
    return state


def changed_pixels(before: bytes, after: bytes) -> tuple[int, tuple[int, int, int, int] | None]:
    difference = ImageChops.difference(
        Image.open(io.BytesIO(before)).convert("RGB"), Image.open(io.BytesIO(after)).convert("RGB")
    ).convert("L")
    changed = difference.point(lambda value: 255 if value > 32 else 0)
    return changed.histogram()[255], changed.getbbox()


def assert_focus_visible(page) -> dict:
    """The focused element is unobscured and drawn differently from when it is not focused: at
    least a one-pixel ring's worth of pixels changes, at the element itself (WCAG 2.4.7)."""
    state = assert_focus_not_obscured(page)
    element = page.evaluate_handle("document.activeElement")
    focused = page.screenshot()
    page.evaluate("element => element.blur()", element)
    unfocused = page.screenshot()
    element.as_element().focus()

    box = state["box"]
    count, where = changed_pixels(focused, unfocused)
    ring = 2 * (box["width"] + box["height"])
    assert count >= ring, f"no visible focus indicator on {state['description']}"
    margin = 16
    left, top, right, bottom = where
    assert (
        left <= box["x"] + box["width"] + margin
        and right >= box["x"] - margin
        and top <= box["y"] + box["height"] + margin
        and bottom >= box["y"] - margin
    ), f"the focus indicator of {state['description']} is drawn away from it"
    return state


def tab_to(page, matches, *, key: str = "Tab", limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until ``matches(state)``, checking the focus indicator at every
    stop on the way; the state of the element reached."""
    for _stop in range(limit):
        page.keyboard.press(key)
        state = assert_focus_visible(page)
        if matches(state):
            return state
    raise AssertionError(f"{limit} presses of {key} never reached the element")
