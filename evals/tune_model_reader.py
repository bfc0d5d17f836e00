"""Score variants of the model reader's combination settings on one question file, one run.

Retrieval, facts and the model's scores are computed once per question; each variant then
reads them with its own `ModelReaderConfig` and abstention threshold. For choosing the
settings on dev (never on a blind batch). Run:

    python evals/tune_model_reader.py --questions evals/dev.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.model_reader import ModelReader  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.measure import evaluate  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=Path, required=True)
    ap.add_argument("--weights", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    ap.add_argument("--veto", type=float, nargs="+", default=[1.0, 0.9, 0.8])
    ap.add_argument("--abstain", type=float, nargs="+", default=[0.4, 0.5, 0.55, 0.6])
    ap.add_argument("--trust-facts", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--cross-weight", type=float, nargs="+", default=[1.0])
    ap.add_argument("--cross-abstain", type=float, nargs="+", default=[0.9])
    ap.add_argument("--cross-veto", type=float, nargs="+", default=[0.05])
    args = ap.parse_args()
    settings = Settings.from_env().with_(reader="model", reader_cross=True)
    assistant = Assistant.from_settings(settings)
    base = assistant.reader
    if not isinstance(base, ModelReader):
        print("the model reader did not load", file=sys.stderr)
        return 1
    variants = list(
        itertools.product(
            args.weights,
            args.veto,
            args.abstain,
            args.trust_facts,
            args.cross_weight if base.cross is not None else [0.0],
            args.cross_abstain if base.cross is not None else [1.0],
            args.cross_veto if base.cross is not None else [0.0],
        )
    )
    results: dict[tuple, list] = {v: [] for v in variants}
    questions = evaluate.load_questions(args.questions)[0]
    for q in questions:
        parsed = assistant.parse(q.question)
        passages = assistant.search(q.question, top_k=assistant.settings.top_k)
        scored, signals = base.score(parsed, passages, assistant.candidate_facts(parsed))
        for weight, veto, abstain, trust, cross_weight, cross_abstain, cross_veto in variants:
            reader = replace(
                base,
                config=replace(
                    base.config,
                    heuristic_weight=weight,
                    veto_below=veto,
                    trust_facts=bool(trust),
                    abstain_below=abstain,
                    cross_weight=cross_weight,
                    cross_abstain_above=cross_abstain,
                    cross_veto_above=cross_veto,
                ),
            )
            answer = reader.compose(parsed, passages, scored, signals)
            results[(weight, veto, abstain, trust, cross_weight, cross_abstain, cross_veto)].append(
                evaluate.score_question(q, answer, 0.0, assistant.settings.top_k)
            )
    print(
        "| heuristic x | veto below | abstain below | trust facts | cross x | cross abstains "
        "above | heuristic veto needs cross above | accuracy | abst. P | abst. R |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for v, rs in sorted(results.items(), key=lambda kv: -sum(r.correct for r in kv[1])):
        s = evaluate.aggregate(rs).overall
        p, r = s.abstention_precision or 0.0, s.abstention_recall or 0.0
        print(
            f"| {v[0]} | {v[1]} | {v[2]} | {v[3]} | {v[4]} | {v[5]} | {v[6]} | "
            f"{100 * s.accuracy:.1f}% | "
            f"{100 * p:.1f}% | {100 * r:.1f}% |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
