"""A small byte-level BPE vocabulary in OpenAI CLIP's format, learned from the caption vocabulary.

The vocabulary order is CLIP's: the 256 byte symbols, the same with "</w>", one token per merge,
then <|startoftext|> and <|endoftext|>. Encoding follows OpenAI's simple_tokenizer.py; captions here
are plain ASCII, so an ASCII form of its pre-tokenisation regex is exact for them.
"""

import json
import re
from collections import Counter

SOT, EOT = "<|startoftext|>", "<|endoftext|>"
CONTEXT = 77
WORD_PATTERN = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^\sa-z0-9]+")


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def learn_merges(words, max_merges=2000):
    """Greedy BPE over the given words (each counted once) until every word is a single token."""
    corpus = {tuple(w[:-1]) + (w[-1] + "</w>",): 1 for w in words}
    merges = []
    while len(merges) < max_merges:
        pairs = Counter()
        for symbols, freq in corpus.items():
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] += freq
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        merged = {}
        for symbols, freq in corpus.items():
            out, i = [], 0
            while i < len(symbols):
                if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged[tuple(out)] = freq
        corpus = merged
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.byte_encoder = bytes_to_unicode()
        vocab = list(self.byte_encoder.values())
        vocab = vocab + [v + "</w>" for v in vocab]
        vocab += ["".join(m) for m in merges]
        vocab += [SOT, EOT]
        self.vocab = vocab
        self.encoder = {tok: i for i, tok in enumerate(vocab)}
        self.merges = merges
        self.ranks = {m: i for i, m in enumerate(merges)}

    def bpe(self, token):
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            bigram = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if bigram not in self.ranks:
                break
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == bigram:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = tuple(out)
        return word

    def encode(self, text):
        text = " ".join(text.split()).strip().lower()
        ids = []
        for token in WORD_PATTERN.findall(text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(token))
        return ids

    def context(self, text):
        """OpenAI's clip.tokenize(truncate=True) row plus its attention mask."""
        ids = [self.encoder[SOT]] + self.encode(text)[: CONTEXT - 2] + [self.encoder[EOT]]
        return ids + [0] * (CONTEXT - len(ids)), [1] * len(ids) + [0] * (CONTEXT - len(ids))

    def save(self, out_dir):
        with open(f"{out_dir}/vocab.json", "w") as f:
            json.dump(self.encoder, f, ensure_ascii=False)
        with open(f"{out_dir}/merges.txt", "w") as f:
            f.write("#version: 0.2\n")
            f.write("".join(f"{a} {b}\n" for a, b in self.merges))
        with open(f"{out_dir}/tokenizer.json", "w") as f:
            json.dump(self.hf_tokenizer_json(), f, ensure_ascii=False)
        # Special tokens as plain strings: transformers.js reads only that form, and Python's reads both.
        with open(f"{out_dir}/tokenizer_config.json", "w") as f:
            json.dump(
                {
                    "tokenizer_class": "CLIPTokenizer",
                    "model_max_length": CONTEXT,
                    "bos_token": SOT,
                    "eos_token": EOT,
                    "unk_token": EOT,
                    "pad_token": EOT,
                    "do_lower_case": True,
                },
                f,
            )
        with open(f"{out_dir}/special_tokens_map.json", "w") as f:
            json.dump({"bos_token": SOT, "eos_token": EOT, "unk_token": EOT, "pad_token": EOT}, f)

    def hf_tokenizer_json(self):
        """The tokenizers-library layout that Hugging Face's CLIP exports use."""
        added = [
            {"id": self.encoder[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True}
            for t in (SOT, EOT)
        ]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": {
                "type": "Sequence",
                "normalizers": [
                    {"type": "NFC"},
                    {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                    {"type": "Lowercase"},
                ],
            },
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [
                    {
                        "type": "Split",
                        "pattern": {"Regex": "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
                        "behavior": "Removed",
                        "invert": True,
                    },
                    {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
                ],
            },
            "post_processor": {
                "type": "RobertaProcessing",
                "sep": [EOT, self.encoder[EOT]],
                "cls": [SOT, self.encoder[SOT]],
                "trim_offsets": False,
                "add_prefix_space": False,
            },
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": EOT,
                "continuing_subword_prefix": "",
                "end_of_word_suffix": "</w>",
                "fuse_unk": False,
                "byte_fallback": False,
                "vocab": self.encoder,
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }
