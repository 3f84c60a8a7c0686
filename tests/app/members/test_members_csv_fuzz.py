"""Whatever file someone gives, the parser answers with rows or line-numbered errors, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tablee.members.csv_import import parse_members_csv

HEADER = b"email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"
cell = st.one_of(
    st.sampled_from(["fr", "en", "a@b.ca", "Émilie", ""]),
    st.text(alphabet=st.sampled_from(list('ab@.;,"\n\r é\x00')), max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_rows_or_errors(data):
    result = parse_members_csv(data)

    assert result.rows or result.errors
    assert all(line >= 1 and reason for line, reason in result.errors)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=11), max_size=6))
def test_rows_under_a_good_header_give_rows_or_errors_with_lines_in_the_file(rows):
    body = "\n".join(",".join(cells) for cells in rows)
    data = HEADER + body.encode()
    lines = data.count(b"\n") + data.count(b"\r") + 1

    result = parse_members_csv(data)

    assert not (result.rows and result.errors)
    for line, _reason in result.errors:
        assert 1 <= line <= lines


def test_a_good_line_before_a_bad_one_is_not_kept_either():
    result = parse_members_csv(HEADER + b"a@b.ca,fr,fr,fr,fr,fr,fr,,\n;")

    assert result.rows == [] and [line for line, _reason in result.errors] == [3]
