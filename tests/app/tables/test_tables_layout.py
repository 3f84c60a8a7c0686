"""How many tables a gathering's attendance gets, and their size bounds."""

from types import SimpleNamespace

import pytest

from tablee.tables.selectors import table_layout


def _gathering(tables: int, seats: int):
    return SimpleNamespace(tables=tables, seats_per_table=seats)


@pytest.mark.parametrize(
    ("attendees", "tables", "seats", "expected_tables"),
    [
        (29, 6, 6, 6),  # one chair free per table: six tables, not five
        (42, 7, 6, 7),  # a full room uses every table
        (36, 6, 6, 6),
        (12, 6, 6, 3),  # a small turnout sits at fewer, fuller tables
    ],
)
def test_layout_leaves_a_chair_free_when_the_room_allows(attendees, tables, seats, expected_tables):
    layout = table_layout(attendees=attendees, gathering=_gathering(tables, seats))
    assert layout["tables"] == expected_tables
    low, high = attendees // expected_tables, -(-attendees // expected_tables)
    assert layout["min"] <= low and high <= layout["max"]


def test_five_tables_could_not_split_six_former_table_mates():
    # The reason for the rule: with 5 tables, 6 people who shared a table last time must meet again.
    layout = table_layout(attendees=29, gathering=_gathering(6, 6))
    assert layout["tables"] > 5
