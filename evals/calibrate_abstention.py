"""Calibrate the abstention threshold on the dev questions; writes evals/ABSTENTION.md.

For every dev question it retrieves the passages and the candidate facts once, then reads the
answer at a range of thresholds with the reader `Assistant.ask` uses, each handed an
`Abstainer` with that threshold (abstain when no fact matches well and the evidence score is
below the threshold). The evidence score is
the share of the question's informative terms that one window of the top passages holds with
an answer of the asked type, less when the window lacks a year or a name the question asks
about. The report gives abstention precision/recall and answer accuracy per threshold, so that
WOZO_ABSTAIN_THRESHOLD can be chosen from measurements. Run:

    python evals/calibrate_abstention.py [--questions evals/dev.jsonl]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings, __version__  # noqa: E402
from assistant.answer import Abstainer, HeuristicReader  # noqa: E402
from assistant.measure.evaluate import aggregate, load_questions, score_question  # noqa: E402

THRESHOLDS = [step / 100 for step in range(10, 52, 2)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", default="evals/dev.jsonl")
    parser.add_argument("--report", default="evals/ABSTENTION.md")
    args = parser.parse_args()
    settings = Settings.from_env()
    assistant = Assistant.from_settings(settings)
    questions, problems = load_questions(ROOT / args.questions)
    if problems:
        raise SystemExit("\n".join(problems))
    gathered = []
    for q in questions:
        question = assistant.parse(assistant.clean_question(q.question))
        passages = assistant.search(question.text, top_k=settings.top_k)
        gathered.append((q, question, passages, assistant.candidate_facts(question)))
    n_un = sum(not q.answerable for q in questions)
    lines = [
        "# Abstention calibration",
        "",
        f"Made by `python evals/calibrate_abstention.py --questions {args.questions}` on "
        f"{time.strftime('%Y-%m-%d')}, assistant {__version__}, model {settings.embed_model}, "
        f"top_k {settings.top_k}. {len(questions)} questions, {n_un} of them unanswerable. "
        "The assistant abstains when no fact matches the question well and the evidence score "
        "is below the threshold. The configured threshold "
        f"(`WOZO_ABSTAIN_THRESHOLD`) is {settings.abstain_threshold}.",
        "",
        "| threshold | abstained | precision | recall | F1 | answerable wrongly abstained "
        "| accuracy |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in THRESHOLDS:
        reader = HeuristicReader(assistant.term_stats, assistant.documents, Abstainer(t))
        results = [
            score_question(q, reader.read(question, p, f), 0, 5) for q, question, p, f in gathered
        ]
        tp = sum(r.abstained and not r.question.answerable for r in results)
        fp = sum(r.abstained and r.question.answerable for r in results)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / n_un if n_un else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        accuracy = aggregate(results).overall.accuracy or 0.0
        mark = " ←" if abs(t - settings.abstain_threshold) < 1e-9 else ""
        lines.append(
            f"| {t:.2f}{mark} | {tp + fp} | {p:.2f} | {r:.2f} | {f1:.2f} | {fp} | {accuracy:.3f} |"
        )
    (ROOT / args.report).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
