"""The cross-reader: reads a question and a candidate window together, and says which window
answers, or that none does.

The bi-encoder behind the window ranker embeds question and window apart, so it cannot see
that a window names the asked topic but not the asked year, or that the sentence after the
topic's name is the one that answers. The cross-reader runs the question and the window through
the encoder as one sequence (``<s> query: … </s></s> passage: … </s>``), so every layer can
compare them. Its score is the cosine between the mean of the question's and the mean of the
window's last hidden states, times a learned scale: at the start of training that is close to
the adapted bi-encoder's own similarity (a head learned from scratch never left the label prior,
see evals/READER.md), and training teaches the layers to compare. A learned "no answer" score
competes with the windows in one softmax, so the same model says when nothing answers.

It starts from the trained window encoder; its top layers are fine-tuned with a listwise loss
over the window ranker's top candidates (`assistant.models.cross_training`) and shipped as
int8 deltas on that encoder's engine file (`assistant.models.deltas`: re-quantized to 4 bits,
the trained layers lost most of what they learned), with the scale and the no-answer score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from assistant.models.deltas import read_deltas, write_deltas
from assistant.models.e5format import E5File
from assistant.models.e5torch import E5Encoder

MAX_QUESTION_TOKENS = 48
MAX_PAIR_TOKENS = 192


@dataclass(frozen=True)
class CrossInput:
    tokens: torch.Tensor  # [n, t]
    mask: torch.Tensor  # [n, t] every token of the pair
    question: torch.Tensor  # [n, t] the question's tokens
    window: torch.Tensor  # [n, t] the window's tokens


class CrossReader(nn.Module):
    """`scores(question, windows) -> (window probabilities, no-answer probability)`."""

    def __init__(
        self,
        source: E5File,
        trainable_layers: int | None = None,
        scale: float = 20.0,
        null: float = 16.0,
    ) -> None:
        super().__init__()
        self.encoder = E5Encoder(source, trainable_layers=trainable_layers)
        self.scale = nn.Parameter(torch.tensor(float(scale)))
        self.null = nn.Parameter(torch.tensor(float(null)))

    def pairs(self, question: str, windows: list[str]) -> CrossInput:
        tok = self.encoder.tokenizer
        table = self.encoder.source.tokenizer
        q = tok.encode("query: " + question)[:MAX_QUESTION_TOKENS]
        q[-1] = table.eos
        rows = []
        for w in windows:
            ids = tok.encode("passage: " + w)[1:]  # </s></s> between the two, as XLM-R pairs
            ids = [table.eos, *ids][: MAX_PAIR_TOKENS - len(q)]
            ids[-1] = table.eos
            rows.append((q, ids))
        width = max(len(a) + len(b) for a, b in rows)
        n = len(rows)
        tokens = torch.full((n, width), table.pad, dtype=torch.long)
        mask = torch.zeros((n, width), dtype=torch.bool)
        qmask = torch.zeros((n, width), dtype=torch.bool)
        wmask = torch.zeros((n, width), dtype=torch.bool)
        for r, (a, b) in enumerate(rows):
            tokens[r, : len(a) + len(b)] = torch.tensor(a + b)
            mask[r, : len(a) + len(b)] = True
            qmask[r, : len(a)] = True
            wmask[r, len(a) : len(a) + len(b)] = True
        return CrossInput(tokens, mask, qmask, wmask)

    def forward(self, batch: CrossInput) -> torch.Tensor:
        """One logit per pair: scale x cosine of the two segments' mean hidden states."""
        x = self.encoder.hidden(batch.tokens, batch.mask)
        qm, wm = batch.question.unsqueeze(-1).float(), batch.window.unsqueeze(-1).float()
        q = nn.functional.normalize((x * qm).sum(1) / qm.sum(1), dim=-1)
        w = nn.functional.normalize((x * wm).sum(1) / wm.sum(1), dim=-1)
        return self.scale * (q * w).sum(-1)

    def scores(self, question: str, windows: list[str]) -> tuple[list[float], float]:
        """Each window's probability of being the answer, and that of "none answers"
        (one softmax over the windows and the no-answer score; they sum to one)."""
        if not windows:
            return [], 1.0
        with torch.no_grad():
            logits = self(self.pairs(question, windows))
            p = torch.softmax(torch.cat([self.null.view(1), logits]), 0).numpy()
        return [float(x) for x in p[1:]], float(p[0])

    def meta(self) -> dict:
        return {
            "scale": float(self.scale.detach()),
            "null": float(self.null.detach()),
            "trainable_layers": max(0, self.encoder.source.header.layers - self.encoder.frozen),
        }


def write_cross_reader(path: Path, model: CrossReader) -> None:
    """Ship the cross-reader: its trained layers as int8 deltas on the encoder's engine file,
    with the scale and the no-answer score."""
    tensors = {n: t.detach().numpy() for n, t in model.encoder.trainable_tensors().items()}
    write_deltas(path, model.encoder.source, tensors, model.meta())


def load_cross_reader(engine: E5File, path: Path) -> CrossReader:
    """The shipped cross-reader: `engine` is the window encoder's engine file, `path` holds the
    cross-reader's layers as deltas on it; raises ModelError when they are missing, damaged or
    do not belong together."""
    values, meta = read_deltas(path, engine)
    model = CrossReader(engine, scale=meta.get("scale", 20.0), null=meta.get("null", 16.0))
    tensors = model.encoder.trainable_tensors()
    with torch.no_grad():
        for name, value in values.items():
            tensors[name].copy_(torch.from_numpy(value).view_as(tensors[name]))
    model.eval()
    return model
