#!/usr/bin/env python3
"""Exports a CLIP with OpenAI's exact ViT-B/32 architecture and random weights for the benchmarks.

The compute per image and per prompt is the same as with the released weights (vision: 12 layers,
width 768, 12 heads, 32-pixel patches; text: 12 layers, width 512, 8 heads, OpenAI's 49,408-token
vocabulary; embeddings 512; QuickGELU), so throughput measured on it is the throughput of the real
model. The directory follows clipguard's model contract and Hugging Face's transformers.js layout:
onnx/vision_model.onnx and onnx/text_model.onnx (what clipguard and the tuned peer load) and
onnx/model.onnx (the joint CLIPModel graph the zero-shot pipeline loads).

Usage: python3 tools/bench/export_vit_b32.py --out DIR [--seed S]
Needs Debian's python3-torch, python3-numpy, python3-onnx and python3-pil (tools/bench/README.md).
"""

import argparse
import gzip
import math
import os
import shutil
import sys

import warnings

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "tiny-clip"))
import bpe  # noqa: E402
import train  # noqa: E402
from model import QuickGELU, TextTower, VisionTower, linear_patches  # noqa: E402

VOCAB_GZ = os.path.join(ROOT, "..", "shared", "clip", "bpe_simple_vocab_16e6.txt.gz")
# OpenAI's simple_tokenizer.py keeps the first 49152 - 256 - 2 merges of its BPE file.
OPENAI_MERGES = 49152 - 256 - 2


class ViTB32(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.vision = VisionTower(768, 12, 12, embed_dim=512, stem=linear_patches, act=QuickGELU)
        self.text = TextTower(vocab_size, 512, 12, 8, embed_dim=512, act=QuickGELU)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(100.0)))
        self._init_like_openai()

    def _init_like_openai(self):
        """OpenAI's CLIP.initialize_parameters, so activations have the scale of a trained model's."""
        txt = self.text
        nn.init.normal_(txt.token_embedding.weight, std=0.02)
        nn.init.normal_(txt.positional_embedding, std=0.01)
        width, layers = 512, len(txt.blocks)
        proj_std = width**-0.5 * (2 * layers) ** -0.5
        for tower, w in ((self.text, 512), (self.vision, 768)):
            for block in tower.blocks:
                nn.init.normal_(block.qkv.weight, std=w**-0.5)
                nn.init.normal_(block.out.weight, std=proj_std)
                nn.init.normal_(block.mlp[0].weight, std=(2 * w) ** -0.5)
                nn.init.normal_(block.mlp[2].weight, std=proj_std)
        nn.init.normal_(txt.proj, std=width**-0.5)

    def forward(self, input_ids, attention_mask, pixel_values):
        """Hugging Face CLIPModel's outputs, as transformers.js's zero-shot pipeline reads them."""
        txt = nn.functional.normalize(self.text(input_ids, attention_mask), dim=-1)
        img = nn.functional.normalize(self.vision(pixel_values), dim=-1)
        logits_per_image = self.logit_scale.exp() * img @ txt.t()
        return logits_per_image, logits_per_image.t(), txt, img


def openai_tokenizer():
    with gzip.open(VOCAB_GZ, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")[1 : OPENAI_MERGES + 1]
    return bpe.Tokenizer([tuple(line.split()) for line in lines])


def export(model, tok, out):
    # Exported in a sibling directory and renamed at the end: an interrupted run leaves nothing that looks complete.
    tmp = out + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    px, ids, mask = train.export_towers(model, tok, tmp, dynamic_length=True)
    text_axes = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, mask, px),
            os.path.join(tmp, "onnx/model.onnx"),
            input_names=["input_ids", "attention_mask", "pixel_values"],
            output_names=["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
            dynamic_axes={
                "input_ids": text_axes,
                "attention_mask": text_axes,
                "pixel_values": {0: "image_batch_size"},
                "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"},
                "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
                "text_embeds": {0: "text_batch_size"},
                "image_embeds": {0: "image_batch_size"},
            },
            **train.ONNX_OPTIONS,
        )
    tok.save(tmp)
    train.write_configs(model, tmp, hidden_act="quick_gelu", patch_embedding="linear (OpenAI ViT-B/32)")
    train.verify(model, tok, tmp)
    train.write_manifest(
        model,
        tmp,
        name="vit-b32-random",
        source="tools/bench/export_vit_b32.py (OpenAI ViT-B/32 architecture, random weights; benchmarks only)",
    )
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


def main():
    # The tracer's warnings concern shapes the towers never vary (heads, the pooled position): noise here.
    warnings.filterwarnings("ignore")
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=32)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 2)
    tok = openai_tokenizer()
    model = ViTB32(len(tok.vocab)).eval()
    print(f"vision {sum(p.numel() for p in model.vision.parameters()) / 1e6:.1f}M parameters, "
          f"text {sum(p.numel() for p in model.text.parameters()) / 1e6:.1f}M, vocabulary {len(tok.vocab)}", flush=True)
    export(model, tok, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
