"""Every module of the package has a floor in the layers contract: a new top-level module or room
cannot slip past `lint-imports` by being left out of it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def test_every_module_of_the_package_sits_on_a_floor():
    placed = {name.strip() for layer in _layers() for name in layer.replace("|", ":").split(":")}
    package = ROOT / "src" / "tablee"
    found = {f"tablee.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    found |= {f"tablee.{p.name}" for p in package.iterdir() if (p / "__init__.py").exists()}
    assert found - placed == set()


def test_the_rooms_are_stacked_in_the_agreed_order():
    rooms = [layer for layer in _layers() if ":" not in layer and "|" not in layer]
    assert rooms == ["tablee.journey", "tablee.circle", "tablee.tables", "tablee.gatherings", "tablee.members",
                     "tablee.outbox"]
