"""CSV that a spreadsheet opens without running anything: every text cell that starts like a
formula (= + - @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises.

Use ``csvsafe.writer(fileobj)`` wherever the app writes CSV; numbers pass through untouched.
"""

from __future__ import annotations

import csv
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(fileobj, **kwargs) -> _SafeWriter:
    return _SafeWriter(fileobj, **kwargs)
