"""Count the imports that run back up the floors, and the cycles between files, in src/tablee.

    python scripts/floors.py [SRC_DIR]

Every import counts, those inside functions too (read from the source with ``ast``). A module's
floor is its room (see the layers contract in pyproject.toml); top-level modules sit above every
room, and the modules of the contract's last layer (engine, text, config…) at the ground. Prints the upward imports, the file
cycles (strongly connected groups of modules), and one summary line.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

FLOORS = ["outbox", "members", "gatherings", "tables", "circle", "journey"]  # bottom to top


def _ground() -> set[str]:
    """The ground floor as the layers contract in pyproject.toml names it (its last layer)."""
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    last = contract["layers"][-1].replace("|", ":").split(":")
    return {name.strip().removeprefix("tablee.") for name in last}


GROUND = _ground()


def floor(module: str) -> int:
    parts = module.split(".")
    if len(parts) < 2:
        return len(FLOORS)
    head = parts[1]
    if head in GROUND:
        return -1
    if head in FLOORS:
        return FLOORS.index(head)
    return len(FLOORS)  # cli, api, urls, settings, demo, web, server, wsgi: above the rooms


def modules(src: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(src.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        out[name] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def resolve(target: str) -> str | None:
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base_pkg = package.split(".")
                base_pkg = base_pkg[: len(base_pkg) - node.level + 1]
                base = ".".join([*base_pkg, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            if target.startswith("tablee"):
                resolved = resolve(target)
                if resolved and resolved != name:
                    found.add(resolved)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(argv: list[str]) -> int:
    src = Path(argv[1] if len(argv) > 1 else "src/tablee")
    found = modules(src)
    known = set(found)
    graph = {name: imports(name, path, known) for name, path in found.items()}
    # A package's __init__ is not a file cycle with its own modules: drop edges module -> its package.
    graph = {a: {b for b in bs if not a.startswith(b + ".")} for a, bs in graph.items()}
    upward = sorted((a, b) for a, bs in graph.items() for b in bs if floor(b) > floor(a))
    for a, b in upward:
        print(f"up     {a} -> {b}")
    groups = cycles(graph)
    for group in groups:
        print(f"cycle  {' <-> '.join(group)}")
    typed = total = 0
    for path in found.values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                total += 1
                args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                args = [a for a in args if a.arg not in ("self", "cls")]
                if node.returns is not None and all(a.annotation is not None for a in args):
                    typed += 1
    print(f"summary: {len(upward)} upward imports, {len(groups)} file cycles, "
          f"{typed}/{total} functions fully annotated ({100 * typed / max(total, 1):.0f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
