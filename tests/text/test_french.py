"""French grammar for names dropped into sentences (tablee.text.french): elision, meals as common
nouns with their article, and English left alone."""

from __future__ import annotations

import pytest

from tablee.text.french import at_event, de, elide


@pytest.mark.parametrize(("name", "expected"), [
    ("architecture durable", "d'architecture durable"),
    ("Entreprendre Québec", "d'Entreprendre Québec"),
    ("Économie sociale", "d'Économie sociale"),
    ("ton projet", "de ton projet"),
    ("Montréal", "de Montréal"),
    ("  Ottawa ", "d'Ottawa"),
])
def test_de_elides_before_a_vowel_only(name, expected):
    assert de(name) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Déjeuner réseautage", "au déjeuner réseautage"),
    ("Dîner-conférence", "à « Dîner-conférence »"),  # not a known noun as a whole: quoted, no guess
    ("Souper des membres", "au souper des membres"),
    ("Soirée de Noël", "à la soirée de Noël"),
    ("Atelier CV", "à l'atelier CV"),
    ("Les Mercuriades", "à « Les Mercuriades »"),
])
def test_at_event_reads_a_meal_as_a_common_noun_and_quotes_any_other_title(title, expected):
    assert at_event(title) == expected


def test_at_event_in_english_keeps_a_french_title_quoted():
    assert at_event("Déjeuner réseautage", language="en") == "at “Déjeuner réseautage”"
    assert at_event("Breakfast meetup", language="en") == "at the breakfast meetup"


def test_elide_changes_only_french_sentences():
    assert elide("L'équipe de Entreprendre Québec") == "L'équipe d'Entreprendre Québec"
    assert elide("membre de Réseau Affaires") == "membre de Réseau Affaires"
    assert elide("Add de Andrade's email", "en") == "Add de Andrade's email"
