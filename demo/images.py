"""Demo images drawn locally with Pillow, so that the demo needs no download and carries no
photograph of a real person. Each is calm and abstract: soft gradients, curves, a portrait
outline."""

import functools
import hashlib
import io
import math

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((11, 85, 99), (232, 241, 242), (246, 241, 232)),
    ((7, 60, 70), (205, 226, 228), (244, 226, 205)),
    ((45, 98, 85), (226, 238, 230), (250, 243, 229)),
    ((60, 72, 110), (228, 231, 243), (246, 238, 230)),
]


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _gradient(size: tuple[int, int], start: tuple[int, ...], end: tuple[int, ...]) -> Image.Image:
    mask = Image.linear_gradient("L").rotate(-45, expand=True).resize(size)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _to_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# The same picture for the same key, so drawn once per process: a third of a second each, and
# the test suite loads the demo a dozen times.
@functools.cache
def draw_scene(key: str, size: tuple[int, int] = (1600, 1000)) -> bytes:
    """An abstract landscape of flowing lines, the same picture every time for the same key."""
    seed = _seed(key)
    deep, light, warm = PALETTES[seed % len(PALETTES)]
    image = _gradient(size, light, warm)
    width, height = size
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for index in range(7):
        phase = (seed >> index) % 360
        amplitude = height * (0.05 + 0.015 * index)
        baseline = height * (0.35 + 0.08 * index)
        points = [
            (x, baseline + amplitude * math.sin(math.radians(x / width * 360 + phase)))
            for x in range(0, width + 20, 20)
        ]
        alpha = 40 + index * 18
        draw.line(points, fill=(*deep, alpha), width=6 + index * 2, joint="curve")
    for index in range(3):
        radius = height * (0.12 + 0.05 * index)
        cx = width * (0.2 + 0.3 * index) + (seed % 97)
        cy = height * (0.28 + 0.06 * ((seed >> index) % 3))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 255, 255, 60))
    layer = layer.filter(ImageFilter.GaussianBlur(2))
    image.paste(layer, (0, 0), layer)
    return _to_png(image)


@functools.cache
def draw_portrait_placeholder(key: str, size: tuple[int, int] = (800, 800)) -> bytes:
    """A neutral head-and-shoulders outline standing in for a physician's photo."""
    seed = _seed(key)
    deep, light, _warm = PALETTES[seed % len(PALETTES)]
    image = _gradient(size, light, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    width, height = size
    head = width * 0.17
    cx, cy = width / 2, height * 0.4
    draw.ellipse((cx - head, cy - head * 1.15, cx + head, cy + head * 1.15), fill=deep)
    draw.ellipse(
        (width * 0.18, height * 0.64, width * 0.82, height * 1.25),
        fill=deep,
    )
    return _to_png(image)
