"""`wozo` command line: parsing and printing only; the work happens in the library."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.config import Settings
from assistant.errors import AssistantError, IndexMissingError, IndexOutdatedError

log = logging.getLogger("wozo")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)  # bm25s sets its own logger to DEBUG when it is imported
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", handlers=[handler]
    )
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings) or 0)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wozo", description="WOZO-assistent: cited answers from the WOZO documents."
    )
    parser.add_argument("--version", action="version", version=f"wozo {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(required=True, metavar="command")

    p = sub.add_parser("index", help="build or refresh the index (incremental, atomic)")
    p.add_argument("--full", action="store_true", help="re-embed every document")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--document", action="append", default=[], help="only this document id")
    p.add_argument("--actielijn", type=int, choices=range(1, 6), help="only this action line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("facts", help="look up exact figures in the fact table")
    p.add_argument("query")
    p.add_argument("--year", type=int)
    p.add_argument("--document")
    p.add_argument("--actielijn", type=int, choices=range(1, 6))
    p.add_argument("--unit", help="e.g. 'mln euro', 'euro', '%%', 'aantal'")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.add_argument("--csv", type=Path, help="write the matches to this CSV file")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("eval", help="run the Q&A benchmark on a question file")
    p.add_argument("--questions", type=Path, action="append", help="JSONL question file(s)")
    p.add_argument("--report", type=Path, help="write a Markdown report here")
    p.add_argument("--json", type=Path, dest="json_out", help="write per-question JSON here")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="start the web app (builds the index if missing)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("bench", help="measure speed and memory; writes evals/PERFORMANCE.md")
    p.add_argument("--report", type=Path, default=Path("evals/PERFORMANCE.md"))
    p.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("train", help="rebuild the reader model from evals/train.jsonl")
    p.add_argument("--questions", type=Path, help="training questions (default evals/train.jsonl)")
    p.add_argument("--out", type=Path, help="where the model goes (default WOZO_READER_MODEL)")
    p.add_argument(
        "--stages",
        default="encoder,ranker",
        help="encoder,ranker (default); ranker alone on the shipped encoder; cross (the "
        "cross-reader, WOZO_READER_CROSS=1) on the shipped encoder and ranker",
    )
    p.add_argument("--epochs", type=int, help="encoder epochs (default 2)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--limit", type=int, help="use only the first N questions (a quick try)")
    p.add_argument("--max-steps", type=int, help="stop the encoder after N steps (a quick try)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("info", help="show the index: model, build time, documents")
    p.set_defaults(func=cmd_info)
    return parser


def _assistant(settings: Settings) -> Any:
    from assistant.pipeline import Assistant

    return Assistant.from_settings(settings)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.index.build import build_index
    from assistant.index.embeddings import load_embed_model

    report = build_index(
        settings,
        load_embed_model(settings.embed_model),
        full=args.full,
        progress=lambda msg: print(msg, file=sys.stderr),
    )
    print(
        f"index {report.build_id}: {report.chunks} chunks, {report.facts} facts in "
        f"{report.seconds:.1f}s; embedded {len(report.embedded)}, reused {len(report.reused)}, "
        f"removed {len(report.removed)}, skipped {len(report.skipped)} document(s)"
    )
    for name, reason in report.skipped:
        print(f"  skipped {name}: {reason}")
    for doc_id in report.kept_previous:
        print(f"  kept the previously indexed version of {doc_id}")
    if settings.reader_kind == "model":  # embed the sentences for the model reader now
        started = time.perf_counter()
        warnings = _assistant(settings).index_info().get("warnings") or []
        for warning in warnings:
            print(f"  {warning}", file=sys.stderr)
        print(f"model reader ready in {time.perf_counter() - started:.1f}s")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieve.searcher import SearchFilters

    assistant = _assistant(settings)
    filters = SearchFilters(documents=tuple(args.document), actielijn=args.actielijn)
    answer = assistant.ask(args.question, filters=filters)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    print()
    label = "Dichtstbijzijnde passages" if answer.abstained else "Bronnen"
    print(f"{label}:")
    if answer.abstained:
        for p in answer.passages[:3]:
            c = p.chunk
            print(f"  - {c.title}, regels {c.line_start}-{c.line_end}: {_short(c.text)}")
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        section = f" — {c.section}" if c.section else ""
        print(f"  [{c.number}] {c.title}{page}, regels {c.line_start}-{c.line_end}{section}")
    print(f"\n({answer.timings_ms.get('total', 0):.0f} ms)")
    return 0


def cmd_facts(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.facts.store import export_csv

    assistant = _assistant(settings)
    found = assistant.fact_finder.find(
        args.query,
        year=args.year,
        document=args.document,
        actielijn=args.actielijn,
        unit=args.unit,
        limit=args.limit,
    )
    if args.csv:
        export_csv(found, args.csv)
        print(f"wrote {len(found)} facts to {args.csv}", file=sys.stderr)
    if args.json:
        print(json.dumps([f.to_json() for f in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Geen cijfers gevonden.")
    for f in found:
        period = f" ({f.period})" if f.period else ""
        print(f"{f.raw:>16} {f.unit:<9} {f.subject[:60]}{period} — {f.doc_id} r.{f.line_start}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.measure import evaluate, reports

    if args.compare:
        old, new = (reports.load_run(p) for p in args.compare)
        print(reports.compare_runs(old, new))
        return 0
    root = Path(__file__).resolve().parent.parent
    files = args.questions or [root / "evals" / "dev.jsonl", root / "evals" / "heldout.jsonl"]
    questions = []
    for path in files:
        loaded, problems = evaluate.load_questions(path)
        for problem in problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
        questions.extend(loaded)
    assistant = _assistant(settings)
    run = evaluate.run_eval(assistant, questions, k=args.k, progress=_progress_bar)
    print(file=sys.stderr)
    print(reports.summary_text(run))
    command = "wozo " + " ".join(sys.argv[1:]) if sys.argv[1:] else "wozo eval"
    if args.report:
        reports.write_markdown(run, args.report, command)
        print(f"wrote {args.report}", file=sys.stderr)
    if args.json_out:
        reports.write_json(run, args.json_out)
        print(f"wrote {args.json_out}", file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from assistant.models.train import TrainingConfig, train_reader
    from assistant.pipeline import Assistant

    root = Path(__file__).resolve().parent.parent
    config = TrainingConfig(seed=args.seed)
    encoder = replace(config.encoder, seed=args.seed, max_steps=args.max_steps)
    if args.epochs:
        encoder = replace(encoder, epochs=args.epochs)
    config = replace(config, encoder=encoder, ranker=replace(config.ranker, seed=args.seed))
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    if not stages or set(stages) - {"encoder", "ranker", "cross"}:
        print("error: --stages takes encoder, ranker, cross or a list of them", file=sys.stderr)
        return 2
    assistant = Assistant.from_settings(settings.with_(reader="heuristic"))
    card = train_reader(
        assistant,
        args.questions or root / "evals" / "train.jsonl",
        args.out or settings.reader_model,
        settings.index_dir / "training",
        config,
        lambda msg: print(msg, file=sys.stderr, flush=True),
        stages=stages,
        limit=args.limit,
    )
    print(json.dumps(card.get("ranker", {}).get("out_of_fold", {}), ensure_ascii=False))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.web.app import launch

    settings = settings.with_(host=args.host or settings.host, port=args.port or settings.port)
    ensure_index(settings)
    launch(settings)
    return 0


def ensure_index(settings: Settings) -> None:
    """Build the index when there is none yet (first start on a fresh machine), or when an
    older version built it (after an upgrade); the build is incremental and atomic."""
    from assistant.index.store import open_index

    try:
        open_index(settings)
    except IndexMissingError:
        print("No index yet: building it (about a minute) ...", file=sys.stderr)
        cmd_index(argparse.Namespace(full=False), settings)
    except IndexOutdatedError as exc:
        print(f"{exc}\nRebuilding it now ...", file=sys.stderr)
        cmd_index(argparse.Namespace(full=False), settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.measure.bench import run_bench

    scales = " ".join(str(n) for n in args.scales)
    run_bench(
        settings,
        args.report,
        tuple(args.scales),
        progress=lambda m: print(m, file=sys.stderr),
        command=f"wozo bench --report {args.report} --scales {scales}",
    )
    print(f"wrote {args.report}", file=sys.stderr)
    return 0


def cmd_info(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.index.store import open_index

    index = open_index(settings)
    m = index.manifest
    print(f"build {m['build_id']} at {m['built_at']}: model {m['embed_model']}, ")
    print(f"{m['chunks']} chunks, {m.get('facts', 0)} facts, corpus {m['corpus_fingerprint']}")
    for d in m.get("documents", []):
        facts = d.get("facts", 0)
        print(f"  {d['doc_id']:<28} {d['chunks']:>4} chunks {facts:>5} facts  {d['title']}")
    for w in index.warnings:
        print(f"warning: {w}")
    return 0


def _progress_bar(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)


def _short(text: str, n: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"
