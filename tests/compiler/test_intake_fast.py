"""The fast path of layout agrees with its exact path: splitting a sheet's body with the
two-cell shortcut finds the rows `_row_label` alone finds."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from compiler.understand.headers import CANVAS_META_ROWS, FOOTER_LABELS
from compiler.understand.layout import Row, _row_label, _split_body

_texts = st.none() | st.text(max_size=12)
_numbers = st.none() | st.floats(allow_nan=False)
_times = st.none() | st.datetimes(min_value=datetime(1000, 1, 1))


_LABELS = sorted(FOOTER_LABELS | CANVAS_META_ROWS)
_cells = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", "x", "Ekine Test", "03-02-2026 09:00:48", "@", "  Total"]),
    st.sampled_from(_LABELS).map(str.upper),
    st.sampled_from(_LABELS).map(lambda label: f" {label}:"),
    st.text(max_size=4),
    st.floats(allow_nan=False),
    st.booleans(),
    st.datetimes(),
)
_rows = st.lists(st.lists(_cells, max_size=4), max_size=12)


def _split_by_row_label(
    rows: list[Row], header_index: int
) -> tuple[list[tuple[int, Row]], list[int], Row | None]:
    """`_split_body` as it was before its shortcut: every row's label from `_row_label`."""
    data: list[tuple[int, Row]] = []
    footers: list[int] = []
    points_possible: Row | None = None
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        label = _row_label(row)
        if label is None:
            continue
        if footers:
            footers.append(number)
            continue
        if label in CANVAS_META_ROWS and not data:
            if label == "points possible":
                points_possible = row
        elif label in FOOTER_LABELS:
            footers.append(number)
        else:
            data.append((number, row))
    return data, footers, points_possible


@given(_rows)
def test_splitting_the_body_agrees_with_reading_every_rows_label(rows: list[Row]) -> None:
    assert _split_body(rows, 0) == _split_by_row_label(rows, 0)


def test_the_shortcut_leaves_labels_and_rows_after_a_footer_to_row_label() -> None:
    rows: list[Row] = [
        ["S.NO", "Name"],
        [1.0, "Ekine Test"],
        [None, "Total", 9.0],
        [2.0, "Feniliia Test"],
    ]
    assert _split_body(rows, 0) == ([(2, [1.0, "Ekine Test"])], [3, 4], None)
