"""Training the cross-reader (`assistant.models.cross`) on the window ranker's candidates.

Each training question brings the window ranker's top windows, as the model reader would hand
them over at question time. The loss is listwise: one softmax over the "no answer" score and
the candidates; an answerable question must put its probability on the windows that hold its
`must_contain` strings (any of them), an unanswerable one on "no answer". Where the ranker's
top windows miss every answer window, one is put in place of the last candidate, so the model
also learns from the questions the ranker gets wrong.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from assistant.models.cross import CrossReader
from assistant.models.e5format import E5File
from assistant.models.finetune import seed_all, take_step, total_steps, warmup_then_decay
from assistant.models.pairs import Example

if TYPE_CHECKING:
    from assistant.answer.model_reader import ModelReader
    from assistant.pipeline import Assistant


@dataclass(frozen=True)
class CrossTraining:
    depth: int = 6  # candidates per question in training (the ranker's top ones)
    questions_per_step: int = 4
    epochs: int = 1
    learning_rate: float = 3e-5
    head_learning_rate: float = 0.02  # the scale and the no-answer score (logit units)
    trainable_layers: int = 4
    seed: int = 13
    max_steps: int | None = None  # a cap, for the tiny training run of the tests


@dataclass(frozen=True)
class CrossExample:
    question: str
    windows: tuple[str, ...]  # the candidates as the cross-reader reads them
    positives: tuple[int, ...]  # positions in `windows`; empty: nothing answers


def ranked_windows(
    assistant: Assistant, reader: ModelReader, examples: Sequence[Example]
) -> list[list[int]]:
    """For each example, the model reader's windows (indices into its window index), best
    first, as they would be ranked at question time."""
    at = {w: i for i, w in enumerate(reader.windows.windows)}
    out = []
    for ex in examples:
        parsed = assistant.parse(ex.question.question)
        passages = assistant.search(ex.question.question, top_k=assistant.settings.top_k)
        scored, _ = reader.score(parsed, passages, assistant.candidate_facts(parsed))
        out.append([at[w] for w, _ in scored.windows])
    return out


def training_lists(
    examples: Sequence[Example],
    ranked: Sequence[list[int]],
    texts: Sequence[str],
    depth: int,
    seed: int,
) -> list[CrossExample]:
    """The listwise examples: each question's top `depth` candidates, an answer window put in
    for the last one where none made it; answerable questions without an answer window are
    left out (nothing to learn which window answers)."""
    rng = random.Random(seed)
    out = []
    for ex, order in zip(examples, ranked, strict=True):
        if ex.answerable and not ex.positives:
            continue
        top = list(order[:depth])
        if ex.answerable and not set(top) & set(ex.positives):
            top = [*top[: depth - 1], rng.choice(ex.positives)]
        rng.shuffle(top)  # the order must not tell the model which one the ranker liked
        out.append(
            CrossExample(
                ex.question.question,
                tuple(texts[i] for i in top),
                tuple(k for k, i in enumerate(top) if i in ex.positives),
            )
        )
    return out


def listwise_loss(model: CrossReader, batch: Sequence[CrossExample]) -> torch.Tensor:
    """Mean over the batch of -log P(an answer window), or -log P(no answer)."""
    losses = []
    for ex in batch:
        logits = torch.cat([model.null.view(1), model(model.pairs(ex.question, list(ex.windows)))])
        logp = torch.log_softmax(logits, 0)
        target = [k + 1 for k in ex.positives] or [0]
        losses.append(-torch.logsumexp(logp[target], 0))
    return torch.stack(losses).mean()


def train_cross(
    source: E5File,
    examples: list[CrossExample],
    config: CrossTraining,
    progress: Callable[[str], None] = print,
) -> CrossReader:
    """Fine-tune the cross-reader's top layers from the window encoder `source`."""
    seed_all(config.seed)
    model = CrossReader(source, trainable_layers=config.trainable_layers)
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(
        [
            {"params": [p for p in params if p.dim() > 0], "weight_decay": 0.01},
            # the scale and the no-answer score move in logit units, not weight units
            {"params": [model.scale, model.null], "lr": config.head_learning_rate},
        ],
        lr=config.learning_rate,
    )
    per = config.questions_per_step
    total = total_steps(len(examples), per, config.epochs, config.max_steps)
    sched = warmup_then_decay(optim, total)
    rng = random.Random(config.seed)
    step, started, recent = 0, time.perf_counter(), []
    model.train()
    for epoch in range(config.epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        for b in range(0, len(order), per):
            if step >= total:
                break
            loss = listwise_loss(model, [examples[i] for i in order[b : b + per]])
            take_step(loss, optim, sched, params)
            step += 1
            recent = [*recent[-49:], loss.item()]
            if step % 20 == 0 or step == total:
                el = time.perf_counter() - started
                progress(
                    f"cross-reader: epoch {epoch + 1}/{config.epochs}, step {step}/{total}, "
                    f"loss {np.mean(recent):.3f}, scale {model.scale.item():.1f}, "
                    f"no-answer {model.null.item():.1f}, {el:.0f} s, "
                    f"~{el / step * (total - step):.0f} s left"
                )
    model.eval()
    return model
