"""The learned ranker and abstainer: gradient-boosted trees over the window and question features.

The ranker scores each candidate window: does it hold the answer? It learns on questions the
encoder was not trained on, so the similarities it sees are like those of new questions. The
abstainer then reads how sure the ranker is, with the heuristic evidence score, and says
whether the documents answer the question at all; its training rows come from out-of-fold
ranker scores for the same reason.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from assistant.errors import ModelError


@dataclass(frozen=True)
class RankerTraining:
    max_iter: int = 300
    learning_rate: float = 0.05
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 20
    l2: float = 1.0
    folds: int = 5
    seed: int = 13


def _gbm(config: RankerTraining) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=config.max_iter,
        learning_rate=config.learning_rate,
        max_leaf_nodes=config.max_leaf_nodes,
        min_samples_leaf=config.min_samples_leaf,
        l2_regularization=config.l2,
        random_state=config.seed,
    )


def fit_ranker(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, config: RankerTraining
) -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    """The ranker on all rows, and out-of-fold probabilities for every row (by question)."""
    oof = np.zeros(len(y), dtype=np.float64)
    n_groups = len(set(groups.tolist()))
    folds = min(config.folds, n_groups)
    if folds >= 2:
        for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
            if len(set(y[train].tolist())) < 2:
                continue
            oof[test] = _gbm(config).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    model = _gbm(config).fit(x, y)
    return model, oof


def fit_abstainer(
    x: np.ndarray, answerable: np.ndarray, config: RankerTraining
) -> HistGradientBoostingClassifier:
    small = RankerTraining(
        max_iter=150,
        learning_rate=config.learning_rate,
        max_leaf_nodes=7,
        min_samples_leaf=10,
        l2=config.l2,
        folds=config.folds,
        seed=config.seed,
    )
    return _gbm(small).fit(x, answerable)


def dump_models(models: dict[str, object]) -> bytes:
    buf = io.BytesIO()
    pickle.dump({"sklearn": sklearn.__version__, "models": models}, buf)
    return buf.getvalue()


def load_models(raw: bytes) -> dict[str, object]:
    """The pickled trees; a file from another scikit-learn version is refused, not guessed."""
    try:
        data = pickle.loads(raw)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ModelError(f"the ranker file cannot be read: {exc}") from exc
    if data.get("sklearn") != sklearn.__version__:
        raise ModelError(
            f"the ranker was trained with scikit-learn {data.get('sklearn')}, this is "
            f"{sklearn.__version__}; retrain with `wozo train`"
        )
    return data["models"]
