"""What every fine-tuning loop of the reader model shares: seeding, the step count, the
learning-rate schedule (linear warm-up over the first tenth, then linear decay to zero) and
one optimiser step with gradient clipping."""

from __future__ import annotations

import random

import numpy as np
import torch


def seed_all(seed: int) -> None:
    """Seed Python's, numpy's and torch's generators (the same seed gives the same weights)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def total_steps(examples: int, per_step: int, epochs: int, max_steps: int | None) -> int:
    """Steps over `epochs` passes of `examples`, `per_step` at a time, capped at `max_steps`."""
    total = epochs * ((examples + per_step - 1) // per_step)
    return total if max_steps is None else min(total, max_steps)


def warmup_then_decay(
    optim: torch.optim.Optimizer, total: int
) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up over the first tenth of `total` steps, then linear decay to zero."""
    return torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / max(1, total // 10)) * max(0.0, 1 - s / max(1, total))
    )


def take_step(
    loss: torch.Tensor,
    optim: torch.optim.Optimizer,
    sched: torch.optim.lr_scheduler.LRScheduler,
    params: list[torch.nn.Parameter],
) -> None:
    """Back-propagate `loss`, clip the gradient's norm to 1, and step optimiser and schedule."""
    optim.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    optim.step()
    sched.step()
