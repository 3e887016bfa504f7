"""Synthetic image-caption data for the tiny CLIP: coloured shapes on varied backgrounds.

Rendering here uses PIL; the TypeScript tests render their held-out images with sharp from SVG,
a different renderer, so the model cannot pass by memorising one rasteriser's quirks.
"""

import io
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SHAPES = ["circle", "square", "triangle", "star", "cross", "heart"]
COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 170, 50),
    "blue": (30, 60, 220),
    "yellow": (240, 220, 30),
    "purple": (140, 40, 180),
    "orange": (250, 140, 20),
    "black": (15, 15, 15),
    "white": (245, 245, 245),
}
SIZES = ["small", "large"]
COUNTS = ["one", "two", "three"]
BACKGROUNDS = ["plain", "gradient", "noise", "stripes"]
BACKGROUND_WORDS = {"plain": "plain", "gradient": "gradient", "noise": "noisy", "stripes": "striped"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3}
PLURALS = {s: s + ("es" if s == "cross" else "s") for s in SHAPES}

# Background palettes chosen far from every shape colour so that colour stays recognisable.
BACKGROUND_TONES = [(200, 200, 200), (120, 120, 120), (170, 190, 205), (205, 190, 170), (150, 165, 150)]

IMAGE_MEAN = (0.48145466, 0.4578275, 0.40821073)
IMAGE_STD = (0.26862954, 0.26130258, 0.27577711)


def shape_polygon(shape, cx, cy, r, angle):
    """Outline of a shape as a list of points, rotated by angle (radians)."""
    if shape == "circle":
        pts = [(math.cos(t), math.sin(t)) for t in np.linspace(0, 2 * math.pi, 48, endpoint=False)]
    elif shape == "square":
        pts = [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)]
    elif shape == "triangle":
        pts = [(math.cos(t - math.pi / 2), math.sin(t - math.pi / 2)) for t in (0, 2 * math.pi / 3, 4 * math.pi / 3)]
    elif shape == "star":
        pts = []
        for i in range(10):
            rad = 1.0 if i % 2 == 0 else 0.42
            t = i * math.pi / 5 - math.pi / 2
            pts.append((rad * math.cos(t), rad * math.sin(t)))
    elif shape == "cross":
        a, b = 0.3, 0.95
        pts = [(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a), (-b, -a), (-a, -a)]
    elif shape == "heart":
        pts = []
        for t in np.linspace(0, 2 * math.pi, 60, endpoint=False):
            x = 16 * math.sin(t) ** 3
            y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
            pts.append((x / 17.0, -y / 17.0 + 0.1))
    else:
        raise ValueError(shape)
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + r * (x * ca - y * sa), cy + r * (x * sa + y * ca)) for x, y in pts]


def background(kind, size, rng, avoid):
    tone = rng.choice([t for t in BACKGROUND_TONES if colour_distance(t, avoid) > 90])
    base = np.zeros((size, size, 3), dtype=np.float32) + np.array(tone, dtype=np.float32)
    if kind == "gradient":
        other = np.array(rng.choice(BACKGROUND_TONES), dtype=np.float32)
        ramp = np.linspace(0, 1, size, dtype=np.float32)
        ramp = ramp[None, :, None] if rng.random() < 0.5 else ramp[:, None, None]
        base = base * (1 - ramp) + other * ramp
    elif kind == "noise":
        base = base + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 25, (size, size, 3))
    elif kind == "stripes":
        period = rng.randint(10, 30)
        idx = np.arange(size)
        mask = ((idx // period) % 2).astype(np.float32)
        mask = mask[None, :, None] if rng.random() < 0.5 else mask[:, None, None]
        base = base - 35 * mask
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def colour_distance(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def render(attrs, rng, canvas=None):
    """Renders one scene at a random canvas size (the preprocessing then resizes it, as in production)."""
    size = canvas or rng.choice([224, 256, 288, 320])
    colour = COLOURS[attrs["colour"]]
    img = background(attrs["background"], size, rng, colour)
    draw = ImageDraw.Draw(img)
    n = NUMBER_WORDS[attrs["count"]]
    usable = size  # square canvas: the centre crop keeps all of it
    if attrs["size"] == "large":
        r = usable * rng.uniform(0.30, 0.40) / (1 if n == 1 else 1.6 if n == 2 else 2.0)
    else:
        r = usable * rng.uniform(0.13, 0.19) / (1 if n == 1 else 1.15 if n == 2 else 1.3)
    centres = place(n, r, size, rng)
    for cx, cy in centres:
        angle = rng.uniform(-0.5, 0.5) if attrs["shape"] != "circle" else 0.0
        draw.polygon(shape_polygon(attrs["shape"], cx, cy, r * rng.uniform(0.9, 1.1), angle), fill=colour)
    return augment(img, rng)


def place(n, r, size, rng):
    margin = r * 1.05 + 4
    for _ in range(200):
        pts = [(rng.uniform(margin, size - margin), rng.uniform(margin, size - margin)) for _ in range(n)]
        if all(math.dist(p, q) > 2.1 * r for i, p in enumerate(pts) for q in pts[i + 1 :]):
            return pts
    # Fallback: evenly spaced on a diagonal, always separable for the radii used above.
    return [(size * (i + 1) / (n + 1), size * (i + 1) / (n + 1)) for i in range(n)]


def augment(img, rng):
    if rng.random() < 0.3:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))
    if rng.random() < 0.3:
        arr = np.asarray(img).astype(np.float32)
        arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(3, 12), arr.shape)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if rng.random() < 0.3:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=rng.randint(40, 90))
        buf.seek(0)
        img = Image.open(buf).convert("RGB")
    return img


def preprocess(img):
    """OpenAI CLIP's preprocessing: shorter side to 224 (bicubic), centre crop, normalise. CHW float32."""
    w, h = img.size
    if w <= h:
        nw, nh = 224, int(224 * h / w)
    else:
        nw, nh = int(224 * w / h), 224
    if (nw, nh) != (w, h):
        img = img.resize((nw, nh), Image.BICUBIC)
    left, top = round((nw - 224) / 2), round((nh - 224) / 2)
    img = img.crop((left, top, left + 224, top + 224))
    arr = np.asarray(img, dtype=np.float32) / 255.0
    arr = (arr - np.array(IMAGE_MEAN, dtype=np.float32)) / np.array(IMAGE_STD, dtype=np.float32)
    return arr.transpose(2, 0, 1)


def random_attrs(rng):
    return {
        "shape": rng.choice(SHAPES),
        "colour": rng.choice(list(COLOURS)),
        "size": rng.choice(SIZES),
        "count": rng.choice(COUNTS),
        "background": rng.choice(BACKGROUNDS),
    }


def caption(attrs, rng):
    """One of many phrasings. Shape is always named; colour usually; size, count and background sometimes."""
    shape, colour, size, count, bg = (attrs[k] for k in ("shape", "colour", "size", "count", "background"))
    plural = count != "one"
    noun = PLURALS[shape] if plural else shape
    adjectives = [colour] if rng.random() < 0.8 else []
    if rng.random() < 0.5:
        adjectives = [size] + adjectives
    head = count if plural else ("one" if rng.random() < 0.15 else "a")
    text = " ".join([head, *adjectives, noun])
    if rng.random() < 0.35:
        text += f" on a {BACKGROUND_WORDS[bg]} background"
    prefix = rng.choice(["", "", "a photo of ", "a picture of ", "an image of ", "a drawing of ", "a rendering of "])
    text = prefix + text
    if rng.random() < 0.1:
        text = text + "."
    return text


def all_words():
    words = set(SHAPES) | set(PLURALS.values()) | set(COLOURS) | set(SIZES) | set(COUNTS) | set(BACKGROUND_WORDS.values())
    words |= {"a", "an", "photo", "picture", "image", "drawing", "rendering", "of", "on", "background", "the", "one"}
    words |= {"shape", "shapes", "colour", "color", "coloured", "object", "objects", "thing", "it", "is", "this", "there"}
    return words
