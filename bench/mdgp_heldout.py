"""Held-out MDGP instances with different group sizes (`ds`), generated, never used for tuning.

    python bench/mdgp_heldout.py OUT_DIR

Written 2026-12-01 for issue 14, before any run on them: the MDGPLIB `ds` files beyond the two in
../shared/bench/mdgplib are not available here, so these follow the library's recipe (Gallego et
al. 2013): RanReal d_ij uniform in [0, 100), RanInt integers in [0, 100], Geo Euclidean distances
of points uniform in [0, 10)^k for k in 2..21; group bounds drawn around n/G. Same seed, same
files. They have no published reference: the bench compares settings with each other on them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

# (name, n, groups, kind, seed): the generator's seed is part of the name.
HELDOUT = [
    ("HeldRanInt_n120_ds_h1", 120, 10, "int", 101),
    ("HeldRanReal_n120_ds_h2", 120, 10, "real", 102),
    ("HeldGeo_n120_ds_h3", 120, 10, "geo", 103),
    ("HeldRanInt_n240_ds_h4", 240, 12, "int", 104),
]


def generate(n: int, groups: int, kind: str, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    while True:
        mean = n / groups
        lower = rng.integers(int(mean * 0.65), int(mean) + 1, size=groups)
        upper = lower + rng.integers(1, int(mean * 0.5) + 1, size=groups)
        if lower.sum() <= n <= upper.sum():
            break
    if kind == "geo":
        points = rng.random((n, int(rng.integers(2, 22)))) * 10
        d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(-1))
    else:
        d = rng.random((n, n)) * 100 if kind == "real" else rng.integers(0, 101, (n, n)).astype(float)
        d = np.triu(d, 1)
        d = d + d.T
    np.fill_diagonal(d, 0.0)
    return lower, upper, np.round(d, 2)


def write(path: Path, lower: np.ndarray, upper: np.ndarray, d: np.ndarray) -> None:
    n = d.shape[0]
    bounds = " ".join(f"{a} {b}" for a, b in zip(lower, upper, strict=True))
    lines = [f"{n} {len(lower)} ds {bounds}"]
    lines += [f"{i} {j} {d[i, j]:.2f}" for i in range(n) for j in range(i + 1, n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("heldout")
    out.mkdir(parents=True, exist_ok=True)
    for name, n, groups, kind, seed in HELDOUT:
        write(out / f"{name}.txt", *generate(n, groups, kind, seed))
        print(out / f"{name}.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
