"""The cross-reader: a tiny training run makes a patch that loads and scores the same way
twice; its probabilities and "none answers" share one softmax; a patch made on another encoder
is refused with a message."""

from __future__ import annotations

import pytest

from assistant.errors import ModelError
from assistant.models.bundle import base_model_path
from assistant.models.cross import CrossReader, load_cross_reader, write_cross_reader
from assistant.models.cross_training import CrossExample, CrossTraining, train_cross
from assistant.models.e5format import read_e5

EXAMPLES = [
    CrossExample(
        "Hoeveel plekken in verpleeghuizen zijn er maximaal?",
        (
            "Wonen\nHet aantal verpleeghuisplekken is landelijk bevroren op 125.300.",
            "Wonen\nDe regeling voor zorggeschikte woningen kreeg 55 aanvragen.",
        ),
        (0,),
    ),
    CrossExample(
        "Hoe worden mensen die voor een naaste zorgen ontlast?",
        (
            "Het budget voor de campagne bedroeg 2 miljoen euro.",
            "Mantelzorgers krijgen respijtzorg zodat zij even vrij zijn.",
        ),
        (1,),
    ),
    CrossExample(
        "Hoeveel verpleeghuisplekken waren er in 1990?",
        ("Wonen\nHet aantal verpleeghuisplekken is landelijk bevroren op 125.300.",),
        (),
    ),
]


def _train(tmp_path, name: str):
    base = read_e5(base_model_path())
    config = CrossTraining(questions_per_step=2, max_steps=2, trainable_layers=1, seed=7)
    model = train_cross(base, EXAMPLES, config, lambda _: None)
    path = tmp_path / f"{name}.npz"
    write_cross_reader(path, model)
    return base, model, path


def test_a_tiny_cross_training_run_is_repeatable_and_loads(tmp_path) -> None:
    base, trained, first = _train(tmp_path, "a")
    _, _, second = _train(tmp_path, "b")
    assert first.read_bytes() == second.read_bytes()
    reader = load_cross_reader(base, first)
    question, windows = EXAMPLES[0].question, list(EXAMPLES[0].windows)
    probs, none = reader.scores(question, windows)
    # what is shipped scores like what was trained (int8 deltas keep what training changed)
    want, want_none = trained.scores(question, windows)
    assert probs == pytest.approx(want, abs=2e-3) and none == pytest.approx(want_none, abs=2e-3)
    assert len(probs) == 2 and all(0 < p < 1 for p in probs)
    assert sum(probs) + none == pytest.approx(1.0, abs=1e-5)
    assert reader.scores(question, windows) == (probs, none)
    assert reader.scores(question, []) == ([], 1.0)


def test_the_untrained_cross_reader_already_prefers_the_window_that_answers() -> None:
    reader = CrossReader(read_e5(base_model_path()))
    reader.eval()
    for ex in EXAMPLES[:2]:
        probs, _ = reader.scores(ex.question, list(ex.windows))
        assert max(range(len(probs)), key=probs.__getitem__) == ex.positives[0]


def test_a_cross_reader_trained_on_another_encoder_is_refused(tmp_path) -> None:
    _, _, path = _train(tmp_path, "a")
    other = read_e5(base_model_path().with_name("e5-small-enpt-q4.bin"))
    with pytest.raises(ModelError, match="another model file"):
        load_cross_reader(other, path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ModelError, match="damaged"):
        load_cross_reader(read_e5(base_model_path()), path)


def test_the_cross_readers_view_reorders_the_windows() -> None:
    from assistant.models.scorer import Scored
    from assistant.models.windows import Window

    w = [Window(i, 1, "d", i, i, f"zin {i}", "d#1", "") for i in range(3)]
    scored = Scored([(w[0], 0.6), (w[1], 0.5), (w[2], 0.1)], 0.8, cross=(0.1, 0.8), no_answer=0.1)
    assert [x for x, _ in scored.ranked(1.0)] == [w[1], w[0], w[2]]
    assert [x for x, _ in scored.ranked(0.0)] == [w[0], w[1], w[2]]
