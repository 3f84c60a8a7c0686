"""docs/api.md names every endpoint of the OpenAPI schema (documentation checked by a test)."""

from pathlib import Path

from tablee.api import api

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def test_every_endpoint_is_documented():
    text = DOCS.read_text()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if f"`{method.upper()} {path}`" not in text
    ]
    assert missing == []
