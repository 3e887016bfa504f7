"""A tiny CLIP with the ViT-B/32 geometry (224 input, 32-pixel patches, class token, pre/post layer
norms, projection) and a small causal text transformer (77-token context, end-of-text pooling)."""

import math

import torch
from torch import nn


class QuickGELU(nn.Module):
    """The GELU approximation OpenAI's CLIP models were trained with."""

    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    def __init__(self, width, heads, act=nn.GELU):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), act(), nn.Linear(4 * width, width))

    def forward(self, x, mask):
        b, t, c = x.shape
        hd = c // self.heads
        q, k, v = self.qkv(self.ln_1(x)).reshape(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        if mask is not None:
            att = att + mask
        y = (att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.out(y)
        return x + self.mlp(self.ln_2(x))


def conv_stem(width):
    """Patch embedding as a small convolutional stem with total stride 32: still one token per 32×32 patch
    (a 7×7 grid plus the class token at 224 px), but "early convolutions" (Xiao et al., 2021) let a ViT
    this small learn shape from far fewer examples than a single linear 32×32 projection does."""
    return nn.Sequential(
        nn.Conv2d(3, 24, 4, stride=4, bias=False),
        nn.BatchNorm2d(24),
        nn.ReLU(inplace=True),
        nn.Conv2d(24, 48, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(48),
        nn.ReLU(inplace=True),
        nn.Conv2d(48, 64, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(64),
        nn.ReLU(inplace=True),
        nn.Conv2d(64, width, 2, stride=2),
    )


def linear_patches(width, patch=32):
    """OpenAI's ViT patch embedding: one linear projection per non-overlapping patch."""
    return nn.Conv2d(3, width, patch, stride=patch, bias=False)


class VisionTower(nn.Module):
    def __init__(self, width, layers, heads, embed_dim, image_size=224, patch=32, stem=conv_stem, act=nn.GELU):
        super().__init__()
        self.conv1 = stem(width)
        n = (image_size // patch) ** 2 + 1
        self.class_embedding = nn.Parameter(torch.randn(width) * width**-0.5)
        self.positional_embedding = nn.Parameter(torch.randn(n, width) * 0.02)
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads, act) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, embed_dim) * width**-0.5)

    def forward(self, pixel_values):
        x = self.conv1(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.reshape(1, 1, -1).expand(x.shape[0], 1, x.shape[2])
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        for block in self.blocks:
            x = block(x, None)
        return self.ln_post(x[:, 0, :]) @ self.proj


class TextTower(nn.Module):
    def __init__(self, vocab_size, width, layers, heads, embed_dim, context=77, act=nn.GELU):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(torch.randn(context, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads, act) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, embed_dim) * width**-0.5)
        causal = torch.full((context, context), -1e4).triu(1)
        self.register_buffer("causal_mask", causal, persistent=False)

    def forward(self, input_ids, attention_mask):
        # Training may pass fewer than 77 positions: with the causal mask, the end-of-text output
        # depends only on the tokens before it, so the result is the same as with the full context.
        t = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.positional_embedding[:t]
        padding = (1.0 - attention_mask.to(x.dtype))[:, None, None, :] * -1e4
        mask = self.causal_mask[None, None, :t, :t] + padding
        for block in self.blocks:
            x = block(x, mask)
        x = self.ln_final(x)
        # The end-of-text token has the largest id in the vocabulary, as in CLIP: argmax finds it.
        eot = input_ids.argmax(dim=-1)
        return x[torch.arange(x.shape[0]), eot] @ self.proj


class TinyClip(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, vision=(96, 4, 4), text=(64, 3, 4)):
        super().__init__()
        self.vision = VisionTower(*vision, embed_dim=embed_dim)
        self.text = TextTower(vocab_size, *text, embed_dim=embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, pixels, ids, mask):
        img = nn.functional.normalize(self.vision(pixels), dim=-1)
        txt = nn.functional.normalize(self.text(ids, mask), dim=-1)
        return img, txt, self.logit_scale.clamp(max=math.log(100)).exp()
