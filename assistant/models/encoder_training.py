"""Fine-tuning the e5 encoder on (question, answer window) pairs.

Multiple-negatives ranking loss: each question is scored against every positive and hard
negative window of its batch, and must put its own positive first. A hard negative is a window
the untrained model ranks high for the question that does not hold the answer (mined once,
before training, with the package's engine). The word embeddings stay frozen, so the model
keeps the similarity it already has for words the training data never uses.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from assistant.models.e5format import E5File
from assistant.models.e5torch import E5Encoder
from assistant.models.finetune import seed_all, take_step, total_steps, warmup_then_decay
from assistant.models.pairs import Example
from assistant.models.windows import Unit, Window


@dataclass(frozen=True)
class EncoderTraining:
    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 3e-5
    max_tokens: int = 96
    trainable_layers: int = 6  # the top layers that learn; the rest (and the embeddings) stay
    scale: float = 20.0  # 1 / temperature of the softmax over similarities
    hard_negative_depth: int = 8  # hard negatives are drawn from the base model's top windows
    seed: int = 13
    max_steps: int | None = None  # a cap, for the tiny training run of the tests


def mine_hard_negatives(
    examples: list[Example], question_vecs: np.ndarray, window_vecs: np.ndarray, depth: int
) -> list[list[int]]:
    """For each example, the base model's top windows that are not among its positives."""
    out = []
    for ex, q in zip(examples, question_vecs, strict=True):
        order = np.argsort(-(window_vecs @ q))[: depth + len(ex.positives)]
        out.append([int(i) for i in order if int(i) not in ex.positives][:depth])
    return out


def train_encoder(
    base: E5File,
    examples: list[Example],
    units: list[Unit],
    windows: list[Window],
    negatives: list[list[int]],
    config: EncoderTraining,
    progress: Callable[[str], None] = print,
) -> E5Encoder:
    """Fine-tune a copy of the base encoder; only answerable examples with a positive count."""
    seed_all(config.seed)
    model = E5Encoder(base, trainable_layers=config.trainable_layers)
    model.tokenizer.max_tokens = config.max_tokens
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=0.01)
    usable = [(ex, neg) for ex, neg in zip(examples, negatives, strict=True) if ex.positives]
    total = total_steps(len(usable), config.batch_size, config.epochs, config.max_steps)
    sched = warmup_then_decay(optim, total)
    rng = random.Random(config.seed)
    step, started = 0, time.perf_counter()
    model.train()
    for epoch in range(config.epochs):
        order = list(range(len(usable)))
        rng.shuffle(order)
        for b in range(0, len(order), config.batch_size):
            if step >= total:
                break
            batch = [usable[i] for i in order[b : b + config.batch_size]]
            pos = [rng.choice(ex.positives) for ex, _ in batch]
            neg = [rng.choice(n) if n else rng.randrange(len(windows)) for _, n in batch]
            q = model(*model.batch([ex.question.question for ex, _ in batch], "query: "))
            docs = _window_vectors(model, units, [windows[i] for i in pos + neg])
            logits = config.scale * q @ docs.T
            # a window that answers another question of the batch too is no negative for it
            for r, (ex, _) in enumerate(batch):
                for c, w in enumerate(pos + neg):
                    if c != r and w in ex.positives:
                        logits[r, c] = float("-inf")
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            take_step(loss, optim, sched, params)
            step += 1
            if step % 10 == 0 or step == total:
                el = time.perf_counter() - started
                progress(
                    f"encoder: epoch {epoch + 1}/{config.epochs}, step {step}/{total}, "
                    f"loss {loss.item():.3f}, {el:.0f} s, ~{el / step * (total - step):.0f} s left"
                )
    model.eval()
    return model


def _window_vectors(model: E5Encoder, units: list[Unit], windows: list[Window]) -> torch.Tensor:
    """Windows as served: the normalised mean of their sentences' embeddings."""
    needed = sorted({u for w in windows for u in w.units})
    at = {u: i for i, u in enumerate(needed)}
    vecs = model(*model.batch([units[u].encoder_text for u in needed], "passage: "))
    rows = [vecs[[at[u] for u in w.units]].mean(0) for w in windows]
    return torch.nn.functional.normalize(torch.stack(rows), dim=-1)
