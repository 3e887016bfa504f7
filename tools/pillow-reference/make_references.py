#!/usr/bin/python3
"""Pillow reference data for clipguard's pixel tests: small images of our own (palette PNGs and GIFs, 1-bit
images, extreme aspect ratios) and the CHW tensors OpenAI's CLIP preprocessing makes of them in Pillow.

OpenAI's `_transform` is torchvision's Resize(224, BICUBIC) -> CenterCrop(224) -> convert("RGB") ->
ToTensor -> Normalize. torchvision is not packaged for Debian, so its four steps are written out below with
Pillow and numpy exactly as torchvision 0.14 runs them on a PIL image: `img.resize((w, h), BICUBIC)` with the
longer side `int(224 * long / short)`, `img.crop` at `int(round((size - 224) / 2.0))`, then float32 `/ 255`,
`- mean`, `/ std`. Pillow itself picks nearest-neighbour for modes "P" and "1": that is the behaviour the
tests pin down.

Run with Debian's Python (python3-pil, python3-numpy), from the repository root:
    /usr/bin/python3 tools/pillow-reference/make_references.py
It rewrites test/fixtures/images-pillow/ (inputs, *.f32.gz tensors, nearest-indices.json, index.json).
"""
import gzip
import json
import os
import sys

import numpy as np
import PIL
from PIL import Image

OUT = os.path.join("test", "fixtures", "images-pillow")
SHARED = os.path.join("..", "shared", "images")
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
SIZE = 224


def clip_reference(im):
    """OpenAI CLIP's preprocessing of one PIL frame -> float32 CHW array."""
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = SIZE, int(SIZE * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    if (new_w, new_h) != (w, h):
        im = im.resize((new_w, new_h), Image.BICUBIC)
    top = int(round((new_h - SIZE) / 2.0))
    left = int(round((new_w - SIZE) / 2.0))
    im = im.crop((left, top, left + SIZE, top + SIZE)).convert("RGB")
    a = np.asarray(im, dtype=np.uint8).astype(np.float32) / np.float32(255)
    a = (a - MEAN) / STD
    return np.ascontiguousarray(a.transpose(2, 0, 1), dtype="<f4")


def rng_image(rng, w, h):
    """Smooth colour fields with sharp edges: palette quantisation then has visible structure."""
    y, x = np.mgrid[0:h, 0:w]
    r = 128 + 120 * np.sin(x / max(w, 2) * 6.3 + rng.random() * 6)
    g = 128 + 120 * np.cos(y / max(h, 2) * 5.1 + rng.random() * 6)
    b = (x * 7 + y * 13) % 256
    noise = rng.integers(0, 40, (h, w, 3))
    a = np.stack([r, g, b], axis=-1) + noise
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def make_inputs(rng):
    """name -> (saver, frames to reference). Every file is written by Pillow itself."""
    cases = {}

    def png(name, im, **kw):
        im.save(os.path.join(OUT, name), **kw)
        cases[name] = [0]

    for w, h in [(10, 10), (37, 23), (150, 97), (300, 500), (640, 480), (1000, 333), (3, 2000), (2000, 3)]:
        png(f"p8-{w}x{h}.png", rng_image(rng, w, h).quantize(256))
    png("p4-60x45.png", rng_image(rng, 60, 45).quantize(16))
    png("p4-250x300.png", rng_image(rng, 250, 300).quantize(16))
    png("p2-33x19.png", rng_image(rng, 33, 19).quantize(4))
    png("p8-trns-40x30.png", rng_image(rng, 40, 30).quantize(64), transparency=3)
    for w, h in [(31, 17), (500, 300), (229, 229), (1, 3000)]:
        png(f"bw1-{w}x{h}.png", rng_image(rng, w, h).convert("1"))
    # Bicubic controls: the same pipeline without a palette, including extreme aspect ratios.
    png("rgb-1x1500.png", rng_image(rng, 1, 1500))
    png("rgb-1500x1.png", rng_image(rng, 1500, 1))
    png("l-1x4000.png", rng_image(rng, 1, 4000).convert("L"))
    png("l-2x3000.png", rng_image(rng, 2, 3000).convert("L"))
    png("rgba-5x900.png", rgba(rng, 5, 900))
    png("la-80x60.png", rgba(rng, 80, 60).convert("LA"))
    png("rgb-trns-50x40.png", rng_image(rng, 50, 40).quantize(8).convert("RGB"), transparency=(0, 0, 0))

    def gif(name, frames, refs, **kw):
        frames[0].save(os.path.join(OUT, name), save_all=len(frames) > 1, append_images=frames[1:], **kw)
        cases[name] = refs

    gif("gif-23x41.gif", [rng_image(rng, 23, 41).quantize(200)], [0])
    gif("gif-400x260.gif", [rng_image(rng, 400, 260).quantize(256)], [0])
    gif(
        "gif-anim-trns-50x30.gif",
        [rng_image(rng, 50, 30).quantize(32) for _ in range(3)],
        [0, 1, 2],
        transparency=5,
        duration=100,
        disposal=2,
        optimize=False,
    )
    gif(
        "gif-anim-300x240.gif",
        [rng_image(rng, 300, 240).quantize(128) for _ in range(4)],
        [0, 1, 2, 3],
        duration=80,
        optimize=False,
    )
    # Reduced with a tRNS colour key: Pillow's mode is RGB, so no premultiplied alpha.
    keyed = rng_image(np.random.default_rng(7), 400, 300).quantize(8).convert("RGB")
    png("rgb-trns-400x300.png", keyed, transparency=keyed.getpixel((0, 0)))
    return cases


def rgba(rng, w, h):
    im = rng_image(rng, w, h).convert("RGBA")
    alpha = rng.integers(0, 256, (h, w)).astype(np.uint8)
    alpha[: h // 3] = 255
    alpha[h // 3 : h // 2] = 0
    im.putalpha(Image.fromarray(alpha, "L"))
    return im


def nearest_indices():
    """Pillow's own nearest-neighbour source index for windows of some resizes (a ramp image in mode I)."""
    out = []
    # (2, 225), (6, 225) and (12, 298) land where the running sum differs from (x + 0.5) * step.
    cases = [(10, 224), (37, 224), (3, 2000 * 224 // 3), (4000, 896000), (1000, 224), (16777217, 224)]
    for size_in, size_out in cases + [(2, 225), (6, 225), (12, 298)]:
        ramp = Image.new("I", (size_in, 1))
        ramp.putdata(range(size_in))
        row = np.asarray(ramp.resize((size_out, 1), Image.NEAREST), dtype=np.int64)[0]
        for first in sorted({0, int(round((size_out - SIZE) / 2.0)), max(0, size_out - SIZE)}):
            out.append({"in": size_in, "out": size_out, "first": first, "indices": row[first : first + SIZE].tolist()})
    return out


def main():
    if PIL.__version__.split(".")[0] != "9":
        sys.exit(f"Pillow 9 is the reference (OpenAI's environment); this is Pillow {PIL.__version__}")
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20260)
    cases = make_inputs(rng)
    entries = []
    sources = [(name, os.path.join(OUT, name), frames, "fixture") for name, frames in cases.items()]
    sources += [
        ("palette_color.png", os.path.join(SHARED, "palette_color.png"), [0], "shared"),
        ("no_time_for_that_tiny.gif", os.path.join(SHARED, "no_time_for_that_tiny.gif"), [0, 6, 12, 18], "shared"),
    ]
    for name, path, frames, where in sources:
        with Image.open(path) as im:
            for frame in frames:
                im.seek(frame)
                tensor = clip_reference(im)
                file = f"{where}-{name}.frame{frame}.f32.gz"
                with open(os.path.join(OUT, file), "wb") as f:
                    f.write(gzip.compress(tensor.tobytes(), compresslevel=9, mtime=0))
                entries.append(
                    {"image": name, "where": where, "frame": frame, "mode": im.mode, "size": list(im.size), "file": file}
                )
    with open(os.path.join(OUT, "nearest-indices.json"), "w") as f:
        json.dump({"source": "Pillow 9.4 Image.resize(NEAREST) of a ramp image in mode I", "cases": nearest_indices()}, f)
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(
            {
                "source": f"Pillow {PIL.__version__}: OpenAI CLIP preprocessing (Resize(224, BICUBIC), CenterCrop(224), "
                "RGB, ToTensor, Normalize) written out with PIL and numpy; float32 little-endian CHW 3x224x224, gzip",
                "images": entries,
            },
            f,
            indent=1,
        )
    print(f"{len(entries)} reference tensors in {OUT}")


if __name__ == "__main__":
    main()
