"""CSV that a spreadsheet opens without running anything, in the reader's language.

Every text cell that starts like a formula (= + - @, a tab or a carriage return) gets a leading
apostrophe, as OWASP advises; numbers pass through untouched.

``csvsafe.writer(fileobj)`` writes plain CSV. ``csvsafe.spreadsheet(fileobj, language=…)`` writes
what Excel opens in columns at once for that reader: a UTF-8 byte-order mark first (so the accents
read right), then, in French, ``;`` between cells and a decimal comma (Excel set up for French
Canada reads the comma as the decimal mark, and puts a comma-separated row in one column); in
English, ``,`` and a decimal point.
"""

from __future__ import annotations

import csv
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def delimiter_for(language: str | None) -> str:
    """The cell separator a spreadsheet expects in ``language``: ``;`` in French, ``,`` otherwise."""
    return ";" if (language or "").lower().startswith("fr") else ","


class _SafeWriter:
    def __init__(self, fileobj, *, decimal_comma: bool = False, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)
        self._decimal_comma = decimal_comma

    def _cell(self, value: Any) -> Any:
        value = safe_cell(value)
        if self._decimal_comma and isinstance(value, float):
            return repr(value).replace(".", ",")
        return value

    def writerow(self, row):
        return self._writer.writerow([self._cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(fileobj, **kwargs) -> _SafeWriter:
    return _SafeWriter(fileobj, **kwargs)


def spreadsheet(fileobj, *, language: str | None) -> _SafeWriter:
    """Write the byte-order mark, and return a writer with ``language``'s separator and decimal mark."""
    fileobj.write(BOM)
    delimiter = delimiter_for(language)
    return _SafeWriter(fileobj, delimiter=delimiter, decimal_comma=delimiter == ";")
