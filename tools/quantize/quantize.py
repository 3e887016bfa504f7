#!/usr/bin/env python3
"""Writes the dynamic INT8 variant of a clipguard model directory's towers.

    /usr/bin/python3 tools/quantize/quantize.py --model DIR [--reduce-range] [--check]
    npm run quantize -- --model DIR

For each tower, onnx/<tower>_model.onnx → onnx/<tower>_model_quantized.onnx (the name the model directory
contract and Hugging Face's exports use for int8), then clipguard.json gains "int8" in its variants and
the sha256 of both new files. The model id hashes the graphs, so the int8 variant has its own id
(`<name>/int8@…`): caches, stored embeddings and compiled policies never mix it with fp32.

--check quantizes in memory and compares with the files on disk (exit 1 when they differ): the output is
deterministic, so a committed variant can be checked against this tool.
"""

import argparse
import hashlib
import json
import os
import sys

import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dynamic_int8 import quantize_dynamic_int8  # noqa: E402

TOWERS = ("vision", "text")


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def model_id(name, variant, vision_sha, text_sha):
    """The engine's model id (libs/clip/src/model/model-directory.ts), for the summary line."""
    digest = hashlib.sha256(f"{vision_sha}\n{text_sha}".encode()).hexdigest()
    return f"{name}/{variant}@{digest[:16]}"


def quantize_tower(model_dir, tower, reduce_range):
    source = os.path.join(model_dir, "onnx", f"{tower}_model.onnx")
    if not os.path.exists(source):
        raise SystemExit(f"{source} is missing: the fp32 {tower} tower to quantize")
    model, stats = quantize_dynamic_int8(onnx.load(source), reduce_range=reduce_range)
    data = model.SerializeToString()
    print(
        f"{tower}: {len(stats.quantized)} MatMul/Gemm quantized, {len(stats.skipped)} left fp32 "
        f"(no constant weight matrix); weights {stats.float_weight_bytes / 1e6:.1f} MB → "
        f"{stats.int8_weight_bytes / 1e6:.1f} MB; graph {os.path.getsize(source) / 1e6:.1f} MB → {len(data) / 1e6:.1f} MB"
    )
    if not stats.quantized:
        raise SystemExit(f"{source}: no MatMul or Gemm with a constant weight matrix; nothing to quantize")
    return f"onnx/{tower}_model_quantized.onnx", data


def write_atomic(path, data):
    tmp = f"{path}.partial"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description="dynamic INT8 variant of a clipguard model directory")
    p.add_argument("--model", required=True, help="model directory (clipguard.json, onnx/*_model.onnx)")
    p.add_argument(
        "--reduce-range",
        action="store_true",
        help="7-bit weights (±64) for CPUs without VNNI, where the u8×s8 kernel can saturate",
    )
    p.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = p.parse_args()
    manifest_path = os.path.join(args.model, "clipguard.json")
    if not os.path.exists(manifest_path):
        raise SystemExit(f"{manifest_path} is missing: not a clipguard model directory")
    with open(manifest_path) as f:
        manifest = json.load(f)

    outputs = [quantize_tower(args.model, tower, args.reduce_range) for tower in TOWERS]
    hashes = {rel: sha256_bytes(data) for rel, data in outputs}
    if args.check:
        stale = [
            rel
            for rel in hashes
            if not os.path.exists(os.path.join(args.model, rel))
            or sha256_file(os.path.join(args.model, rel)) != hashes[rel]
            or manifest["files"].get(rel) != hashes[rel]
        ]
        if stale:
            raise SystemExit(f"{args.model}: {', '.join(stale)} differ from a fresh quantization; rerun without --check")
        print(f"{args.model}: the int8 files and their manifest hashes match a fresh quantization")
        return

    for rel, data in outputs:
        write_atomic(os.path.join(args.model, rel), data)
    manifest["variants"] = [v for v in ("fp32", "fp16", "int8") if v in manifest["variants"] or v == "int8"]
    manifest["files"].update(hashes)
    manifest["files"] = dict(sorted(manifest["files"].items()))
    write_atomic(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode())
    vision, text = (hashes[f"onnx/{t}_model_quantized.onnx"] for t in TOWERS)
    print(f"wrote {', '.join(rel for rel, _ in outputs)}; model id {model_id(manifest['name'], 'int8', vision, text)}")


if __name__ == "__main__":
    main()
