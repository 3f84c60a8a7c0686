"""The journey's SVG charts: a day on an axis reads as its reader writes it, and labels too wide for
their bars are thinned (every bar keeps its label in its <title>)."""

from __future__ import annotations

import re

from tablee.journey import charts
from tablee.text import french


def test_a_french_day_is_written_as_quebec_does_and_an_english_one_is_left_alone():
    assert french.dates_in("fr-ca", "1 janvier") == "1er\u00a0janvier"
    assert french.dates_in("fr-ca", "27 novembre") == "27\u00a0novembre"
    assert french.dates_in(None, "1 septembre") == "1er\u00a0septembre"  # French is the source language
    assert french.dates_in("en", "January 1") == "January 1"


def test_a_crowded_axis_shows_every_other_label_and_every_bar_keeps_its_label():
    labels = [f"{d}\u00a0novembre" for d in range(10, 22)]
    svg = charts.bar_chart(title="Titre", labels=labels, values=list(range(12)))

    shown = re.findall(r'text-anchor="middle" fill="#1f2933">([^<]+)</text>', svg)
    assert "10\u00a0novembre" in shown and "11\u00a0novembre" not in [s for s in shown if "novembre" in s]
    assert all(f"<title>{label}" in svg for label in labels)


def test_a_roomy_axis_shows_every_label():
    svg = charts.bar_chart(title="Titre", labels=["1er\u00a0mai", "8\u00a0mai"], values=[1, 2])
    assert ">1er\u00a0mai</text>" in svg and ">8\u00a0mai</text>" in svg
