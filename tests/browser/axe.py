"""axe-core in the browser tests: `npm pack axe-core` once (cached under test-artifacts/axe), the
script injected by Playwright into the page, and no critical or serious violation allowed."""

from __future__ import annotations

import subprocess
import tarfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "test-artifacts" / "axe"


@cache
def axe_source() -> str:
    script = CACHE / "axe.min.js"
    if not script.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(["npm", "pack", "axe-core", "--silent"], cwd=CACHE, check=True, capture_output=True,
                             text=True, timeout=300).stdout.strip().splitlines()[-1]
        with tarfile.open(CACHE / out) as archive:
            member = archive.extractfile("package/axe.min.js")
            script.write_bytes(member.read())
    return script.read_text(encoding="utf-8")


def serious_violations(page) -> list[dict]:
    page.add_script_tag(content=axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("critical", "serious")]


def assert_no_serious_violations(page) -> None:
    found = serious_violations(page)
    assert found == [], f"axe on {page.url}: {found}"
