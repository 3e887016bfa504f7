#!/usr/bin/env python3
"""Trains the tiny CLIP fixture and exports it in clipguard's model-directory contract.

Usage: python3 tools/tiny-clip/train.py --out test/fixtures/models/tiny-clip [--steps N] [--seed S]
Needs Debian's python3-torch, python3-pil, python3-numpy and python3-onnx (see README.md here),
and node_modules (the exported graphs are checked with onnxruntime-node).
"""

import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import data  # noqa: E402
from model import TinyClip  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(ROOT, "test/fixtures/models/tiny-clip"))
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--steps", type=int, default=2400)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--pool", type=int, default=16000)
    p.add_argument("--refresh", type=int, default=2400, help="pool images re-rendered every 100 steps")
    p.add_argument("--checkpoint", help="also save the PyTorch weights here (not part of the fixture)")
    p.add_argument("--init", help="start from these PyTorch weights (continue an earlier run)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    return p.parse_args()


def make_pool(n, rng):
    attrs = [data.random_attrs(rng) for _ in range(n)]
    images = np.stack([to_uint8(data.render(a, rng)) for a in attrs])
    return attrs, images


def to_uint8(img):
    """Shorter side to 224 and centre crop, kept as uint8 to save memory; normalised per batch."""
    chw = data.preprocess(img)
    mean = np.array(data.IMAGE_MEAN, dtype=np.float32)[:, None, None]
    std = np.array(data.IMAGE_STD, dtype=np.float32)[:, None, None]
    return np.clip(np.rint((chw * std + mean) * 255), 0, 255).astype(np.uint8)


def normalise(batch_u8):
    x = torch.from_numpy(batch_u8).float() / 255.0
    mean = torch.tensor(data.IMAGE_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(data.IMAGE_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def matches(caption_attrs, image_attrs):
    return all(image_attrs[k] == v for k, v in caption_attrs.items())


def described(attrs, text):
    """The attributes a caption actually states, so images it also describes count as positives."""
    words = set(text.replace(".", "").split())
    stated = {"shape": attrs["shape"]}
    if attrs["colour"] in words:
        stated["colour"] = attrs["colour"]
    if attrs["size"] in words:
        stated["size"] = attrs["size"]
    stated["count"] = attrs["count"] if attrs["count"] in words or attrs["count"] != "one" else "one"
    if "background" in words:
        stated["background"] = attrs["background"]
    return stated


def sample_batch(attrs, size, rng):
    """Half the batches hold only two colours: hard negatives that colour alone cannot separate,
    so the model has to learn shape, size and count as well."""
    if rng.random() < 0.5:
        return [rng.randrange(len(attrs)) for _ in range(size)]
    colours = set(rng.sample(list(data.COLOURS), 2))
    out = []
    while len(out) < size:
        i = rng.randrange(len(attrs))
        if attrs[i]["colour"] in colours:
            out.append(i)
    return out


def train(args):
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)

    merges = bpe.learn_merges(sorted(data.all_words()))
    tok = bpe.Tokenizer(merges)
    model = TinyClip(vocab_size=len(tok.vocab))
    if args.init:
        model.load_state_dict(torch.load(args.init))
    print(f"vocab {len(tok.vocab)} tokens, {sum(p.numel() for p in model.parameters())} parameters", flush=True)

    t0 = time.time()
    attrs, images = make_pool(args.pool, rng)
    print(f"rendered {args.pool} images in {time.time() - t0:.0f}s", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    warmup = 100

    def lr_at(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, args.steps - warmup)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    t_train = time.time()
    for step in range(args.steps):
        idx = sample_batch(attrs, args.batch, rng)
        texts = [data.caption(attrs[i], rng) for i in idx]
        stated = [described(attrs[i], t) for i, t in zip(idx, texts)]
        ctx = [tok.context(t) for t in texts]
        width = max(sum(c[1]) for c in ctx)
        ids = torch.tensor([c[0][:width] for c in ctx])
        mask = torch.tensor([c[1][:width] for c in ctx])
        target = torch.tensor([[1.0 if matches(s, attrs[i]) else 0.0 for s in stated] for i in idx])
        img, txt, scale = model(normalise(images[idx]), ids, mask)
        logits = scale * img @ txt.t()
        # CLIP's symmetric InfoNCE, with every caption that truly describes an image counted as a positive.
        loss_i = -(target / target.sum(1, keepdim=True) * logits.log_softmax(1)).sum(1).mean()
        loss_t = -(target.t() / target.t().sum(1, keepdim=True) * logits.t().log_softmax(1)).sum(1).mean()
        loss = (loss_i + loss_t) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 50 == 0 or step == args.steps - 1:
            print(f"step {step} loss {loss.item():.3f} scale {scale.item():.1f} {time.time() - t_train:.0f}s", flush=True)
        if args.refresh and step % 100 == 99:
            fresh = rng.sample(range(args.pool), args.refresh)
            for i in fresh:
                attrs[i] = data.random_attrs(rng)
                images[i] = to_uint8(data.render(attrs[i], rng))
    print(f"trained {args.steps} steps in {time.time() - t_train:.0f}s", flush=True)
    if args.checkpoint:
        torch.save(model.state_dict(), args.checkpoint)
    return model.eval(), tok


ONNX_OPTIONS = dict(opset_version=14, do_constant_folding=True)


def export_towers(model, tok, out, dynamic_length=False):
    """The two graphs of clipguard's model contract: onnx/vision_model.onnx and onnx/text_model.onnx.
    With dynamic_length the text graph also takes fewer than 77 positions (batches cut to their longest row)."""
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    px = torch.randn(2, 3, 224, 224)
    ids, mask = (torch.tensor(v) for v in zip(*[tok.context("a red star"), tok.context("two large blue circles")]))
    text_axes = {0: "batch_size", 1: "sequence_length"} if dynamic_length else {0: "batch_size"}
    with torch.no_grad():
        torch.onnx.export(
            model.vision,
            (px,),
            os.path.join(out, "onnx/vision_model.onnx"),
            input_names=["pixel_values"],
            output_names=["image_embeds"],
            dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}},
            **ONNX_OPTIONS,
        )
        torch.onnx.export(
            model.text,
            (ids, mask),
            os.path.join(out, "onnx/text_model.onnx"),
            input_names=["input_ids", "attention_mask"],
            output_names=["text_embeds"],
            dynamic_axes={"input_ids": text_axes, "attention_mask": text_axes, "text_embeds": {0: "batch_size"}},
            **ONNX_OPTIONS,
        )
    return px, ids, mask


def export(model, tok, out):
    export_towers(model, tok, out)
    tok.save(out)
    write_configs(model, out)
    verify(model, tok, out)
    write_manifest(model, out)


def write_configs(model, out, hidden_act="gelu", patch_embedding="conv-stem (five stride-2 convolutions, 32-pixel patches)"):
    vis, txt = model.vision, model.text
    config = {
        "architectures": ["CLIPModel"],
        "model_type": "clip",
        "projection_dim": vis.proj.shape[1],
        "logit_scale_init_value": 2.6592,
        "text_config": {
            "model_type": "clip_text_model",
            "hidden_size": txt.token_embedding.embedding_dim,
            "num_hidden_layers": len(txt.blocks),
            "num_attention_heads": txt.blocks[0].heads,
            "intermediate_size": 4 * txt.token_embedding.embedding_dim,
            "max_position_embeddings": 77,
            "vocab_size": txt.token_embedding.num_embeddings,
            "hidden_act": hidden_act,
            "bos_token_id": txt.token_embedding.num_embeddings - 2,
            "eos_token_id": txt.token_embedding.num_embeddings - 1,
            "pad_token_id": 0,
        },
        "vision_config": {
            "model_type": "clip_vision_model",
            "hidden_size": vis.class_embedding.shape[0],
            "num_hidden_layers": len(vis.blocks),
            "num_attention_heads": vis.blocks[0].heads,
            "intermediate_size": 4 * vis.class_embedding.shape[0],
            "patch_embedding": patch_embedding,
            "image_size": 224,
            "patch_size": 32,
            "hidden_act": hidden_act,
        },
    }
    pre = {
        "crop_size": {"height": 224, "width": 224},
        "do_center_crop": True,
        "do_convert_rgb": True,
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": list(data.IMAGE_MEAN),
        "image_std": list(data.IMAGE_STD),
        "image_processor_type": "CLIPImageProcessor",
        "resample": 3,
        "rescale_factor": 1 / 255,
        "size": {"shortest_edge": 224},
    }
    for name, obj in (("config.json", config), ("preprocessor_config.json", pre)):
        with open(os.path.join(out, name), "w") as f:
            json.dump(obj, f, indent=2)


def verify(model, tok, out):
    """Runs both exported graphs in onnxruntime-node and compares with PyTorch."""
    rng = random.Random(99)
    imgs = [data.render(data.random_attrs(rng), rng) for _ in range(5)]
    px = torch.from_numpy(np.stack([data.preprocess(i) for i in imgs]))
    texts = ["a red star", "two large blue circles on a striped background", "a photo of a green heart"]
    ctx = [tok.context(t) for t in texts]
    ids = torch.tensor([c[0] for c in ctx])
    mask = torch.tensor([c[1] for c in ctx])
    with torch.no_grad():
        img = model.vision(px).numpy()
        txt = model.text(ids, mask).numpy()
    with tempfile.TemporaryDirectory() as tmp:
        case = {"pixels": px.numpy().ravel().tolist(), "batch": len(imgs), "input_ids": ids.numpy().ravel().tolist(),
                "attention_mask": mask.numpy().ravel().tolist(), "texts": len(texts),
                "image_embeds": img.ravel().tolist(), "text_embeds": txt.ravel().tolist()}
        path = os.path.join(tmp, "case.json")
        with open(path, "w") as f:
            json.dump(case, f)
        script = os.path.join(ROOT, "tools/tiny-clip/verify-onnx.ts")
        subprocess.run(["node", "-r", "@swc-node/register", script, out, path], check=True, cwd=ROOT)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(model, out, name="tiny-clip", source="tools/tiny-clip/train.py (synthetic shapes; clipguard test fixture)"):
    files = sorted(
        os.path.relpath(os.path.join(d, f), out)
        for d, _, fs in os.walk(out)
        for f in fs
        if f != "clipguard.json"
    )
    manifest = {
        "name": name,
        "source": source,
        "logit_scale": round(float(model.logit_scale.clamp(max=math.log(100)).exp()), 4),
        "embed_dim": int(model.vision.proj.shape[1]),
        "image_size": 224,
        "context_length": 77,
        "variants": ["fp32"],
        "files": {f: sha256(os.path.join(out, f)) for f in files},
    }
    with open(os.path.join(out, "clipguard.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def main():
    args = parse_args()
    t0 = time.time()
    model, tok = train(args)
    export(model, tok, args.out)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.out) for f in fs)
    print(f"done in {time.time() - t0:.0f}s; model directory {size / 1e6:.2f} MB at {args.out}")


if __name__ == "__main__":
    main()
