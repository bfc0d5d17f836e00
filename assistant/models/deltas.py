"""Fine-tuned weights shipped as int8 deltas on a model file's own (dequantized) weights.

Re-quantizing a fine-tuned layer into the model file's 4-bit format loses most of what training
changed: the steps fine-tuning takes are smaller than the 4-bit grid. Measured on the
cross-reader: in its last layer the change training made has norm 0.57 and re-quantization
errs by 0.54, and its scores fell back to near the untrained model's (evals/READER.md). A
delta stored as int8 with one scale per row keeps the change (each value to within 1/254 of
its row's largest change), at a quarter of float32's size.

The file is a numpy ``.npz`` (no pickles): ``meta`` (JSON: the base file's sha256 and what the
model adds), and per tensor either ``q:<name>`` (int8 deltas) with ``s:<name>`` (float32 row
scales) for matrices, or ``f:<name>`` (float32 deltas) for biases and norms.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from assistant.errors import ModelError
from assistant.models.e5format import E5File


def write_deltas(path: Path, base: E5File, tensors: dict[str, np.ndarray], meta: dict) -> None:
    """Write `tensors` (new values by model-file name) as deltas on `base`'s values."""
    arrays: dict[str, np.ndarray] = {}
    for name, values in sorted(tensors.items()):
        values = np.asarray(values, dtype=np.float32)
        delta = values - base.tensor(name, values.shape)
        if delta.ndim == 2:
            scale = np.abs(delta).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            arrays[f"q:{name}"] = np.round(delta / scale[:, None]).astype(np.int8)
            arrays[f"s:{name}"] = scale.astype(np.float32)
        else:
            arrays[f"f:{name}"] = delta
    info = {**meta, "base_sha256": base.sha256}
    arrays["meta"] = np.frombuffer(json.dumps(info).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    tmp = Path(str(path) + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def read_deltas(path: Path, base: E5File) -> tuple[dict[str, np.ndarray], dict]:
    """(new values by model-file name, meta) of a delta file made on `base`; a missing,
    damaged or foreign file raises ModelError."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
    except FileNotFoundError as exc:
        raise ModelError(f"The model weights {path} are missing.") from exc
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"The model weights {path} are damaged: {exc}") from exc
    if meta.get("base_sha256") != base.sha256:
        raise ModelError(
            f"{path} was made for another model file (base "
            f"{str(meta.get('base_sha256'))[:12]}, here {base.sha256[:12]}); retrain with "
            "`wozo train`"
        )
    values: dict[str, np.ndarray] = {}
    for key, array in arrays.items():
        kind, name = key.split(":", 1)
        if name not in base.tensors:
            raise ModelError(f"{path}: tensor {name} is not in the model file")
        if kind == "q":
            delta = array.astype(np.float32) * arrays[f"s:{name}"][:, None]
        elif kind == "f":
            delta = array
        else:
            continue
        values[name] = base.tensor(name, delta.shape) + delta
    return values, meta
