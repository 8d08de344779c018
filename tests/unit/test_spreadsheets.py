"""cradle.core.spreadsheets: formulas made inert, numbers kept, and neutralise undone exactly."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cradle.core.spreadsheets import csv_bytes, csv_text, neutralise, restore, xlsx_bytes

FORMULAS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")",
            "'=1", "''+cmd"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Leeds", "", "a=b", " =1", "'quoted'", 5, -3, 2.5,
                                   Decimal("-0.5"), None])
def test_anything_else_is_unchanged(value):
    assert neutralise(value) == value


@given(st.text())
def test_restore_undoes_neutralise(text):
    assert restore(neutralise(text)) == text


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_neutralises_text_and_keeps_numbers_even_negative_ones():
    text = csv_text(["name", "gap"], [["=cmd|' /C calc'!A0", Decimal("-0.5")], ["-", -3],
                                      [None, 2]])
    assert text.splitlines() == ["name,gap", "'=cmd|' /C calc'!A0,-0.5", "'-,-3", ",2"]
    assert csv_bytes(["a"], []).startswith(b"\xef\xbb\xbf")


def test_xlsx_neutralises_text_and_keeps_numbers_as_numbers():
    content = xlsx_bytes(["=name", "value"],
                         [["=HYPERLINK(\"http://x\",\"y\")", Decimal("3.50")],
                          ["@x", Decimal("-2")], ["ok", None]],
                         title="Table", notes=["=note", "plain"])
    book = load_workbook(io.BytesIO(content))
    rows = list(book["Table"].iter_rows(values_only=True))
    assert rows == [("'=name", "value"), ("'=HYPERLINK(\"http://x\",\"y\")", 3.5),
                    ("'@x", -2), ("ok", None)]
    assert book["Table"].freeze_panes == "A2"
    assert [row[0] for row in book["Notes"].iter_rows(values_only=True)] == ["'=note",
                                                                             "plain"]
    assert all(cell.data_type != "f" for row in book["Table"].iter_rows() for cell in row)
