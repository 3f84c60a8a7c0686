"""Held-out MDGP instances (`ds`, and `ss` from h7 on), generated, never used for tuning.

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

# (name, n, groups, kind, seed): the generator's seed is part of the name; `_ss_` in the name
# gives every group the size n / groups.
HELDOUT = [
    ("HeldRanInt_n120_ds_h1", 120, 10, "int", 101),
    ("HeldRanReal_n120_ds_h2", 120, 10, "real", 102),
    ("HeldGeo_n120_ds_h3", 120, 10, "geo", 103),
    ("HeldRanInt_n240_ds_h4", 240, 12, "int", 104),
    # Session 4 (2026-12-02), written before any run on them, for the elite pool and crossover.
    ("HeldRanReal_n120_ds_h5", 120, 10, "real", 105),
    ("HeldRanInt_n120_ds_h6", 120, 10, "int", 106),
    ("HeldRanReal_n120_ss_h7", 120, 10, "real", 107),
    ("HeldRanReal_n240_ss_h8", 240, 12, "real", 108),
    ("HeldGeo_n120_ds_h9", 120, 10, "geo", 109),
    # Written after cross_share was chosen (h6, h7 seed 1 were looked at), for a blind check.
    ("HeldRanReal_n120_ds_h10", 120, 10, "real", 110),
    ("HeldRanInt_n120_ss_h11", 120, 10, "int", 111),
    ("HeldGeo_n120_ss_h12", 120, 10, "geo", 112),
    ("HeldRanReal_n240_ds_h13", 240, 12, "real", 113),
    ("HeldRanReal_n240_ss_h14", 240, 12, "real", 114),
]


def generate(n: int, groups: int, kind: str, seed: int,
             same_size: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    while not same_size:
        mean = n / groups
        lower = rng.integers(int(mean * 0.65), int(mean) + 1, size=groups)
        upper = lower + rng.integers(1, int(mean * 0.5) + 1, size=groups)
        if lower.sum() <= n <= upper.sum():
            break
    if same_size:
        lower = upper = np.full(groups, n // groups)
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
    kind = "ss" if np.array_equal(lower, upper) else "ds"
    lines = [f"{n} {len(lower)} {kind} {bounds}"]
    lines += [f"{i} {j} {d[i, j]:.2f}" for i in range(n) for j in range(i + 1, n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("heldout")
    out.mkdir(parents=True, exist_ok=True)
    for name, n, groups, kind, seed in HELDOUT:
        write(out / f"{name}.txt", *generate(n, groups, kind, seed, same_size="_ss_" in name))
        print(out / f"{name}.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
