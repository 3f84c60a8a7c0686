"""French grammar for names dropped into sentences (tablee.text.french): elision, meals as common
nouns with their article, and English left alone."""

from __future__ import annotations

import pytest

from tablee.text.french import at_event, de, elide, the


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
    ("Déjeuner-réseautage de novembre", "au déjeuner-réseautage de novembre"),  # the demo's own titles
    ("Dîner-conférence", "à «\u00a0Dîner-conférence\u00a0»"),  # not a known noun as a whole: quoted, no guess
    ("Souper des membres", "au souper des membres"),
    ("Soirée de Noël", "à la soirée de Noël"),
    ("Atelier CV", "à l'atelier CV"),
    ("Les Mercuriades", "à «\u00a0Les Mercuriades\u00a0»"),
])
def test_at_event_reads_a_meal_as_a_common_noun_and_quotes_any_other_title(title, expected):
    assert at_event(title) == expected


def test_at_event_in_english_keeps_a_french_title_quoted():
    assert at_event("Déjeuner réseautage", language="en") == "at “Déjeuner réseautage”"
    assert at_event("Breakfast meetup", language="en") == "at the breakfast meetup"


def test_elide_changes_only_french_sentences():
    assert elide("L'équipe de Entreprendre Québec") == "L'équipe d'Entreprendre Québec"
    assert elide("membre de Café-rencontres") == "membre de Café-rencontres"
    assert elide("Add de Andrade's email", "en") == "Add de Andrade's email"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("L'équipe de Réseau des gens d'affaires de Québec", "L'équipe du Réseau des gens d'affaires de Québec"),
    ("Membres de Chambre de commerce de Lévis", "Membres de la Chambre de commerce de Lévis"),
    ("Votre invitation à Association des architectes sur Tablée",
     "Votre invitation à l'Association des architectes sur Tablée"),
    ("Bienvenue à Réseau Affaires", "Bienvenue au Réseau Affaires"),
    ("Bienvenue à Le Cercle des jeunes", "Bienvenue au Cercle des jeunes"),
    ("L'équipe de Les Affaires d'ici", "L'équipe des Affaires d'ici"),
    ("vous invite à rejoindre Réseau Femmessor", "vous invite à rejoindre le Réseau Femmessor"),
    ("Demander à joindre Jeune Chambre de Montréal", "Demander à joindre la Jeune Chambre de Montréal"),
    ("membre de La Ruche", "membre de La Ruche"),
    ("écrire à Leclerc inc.", "écrire à Leclerc inc."),
])
def test_elide_puts_back_the_article_of_an_organizations_name(sentence, expected):
    assert elide(sentence) == expected


def test_the_gives_a_name_opening_a_sentence_its_article():
    assert the("Réseau des gens d'affaires") == "le Réseau des gens d'affaires"
    assert the("Association des architectes") == "l'Association des architectes"
    assert the("Café-rencontres de Québec") == "Café-rencontres de Québec"
    assert the("Réseautage Plus") == "Réseautage Plus"


@pytest.mark.parametrize(("formatted", "expected"), [
    ("mercredi 1 septembre 2026 · 12 h 00", "mercredi 1er\u00a0septembre 2026 · 12\u00a0h"),
    ("le 11 septembre", "le 11\u00a0septembre"),
    ("le 21 octobre à 19 h 30", "le 21\u00a0octobre à 19\u00a0h\u00a030"),
    ("Saison depuis le 1 septembre 2026.", "Saison depuis le 1er\u00a0septembre 2026."),
    ("10 novembre, 6 tables", "10\u00a0novembre, 6 tables"),
    ("3,1 janvier", "3,1 janvier"),
])
def test_dates_are_tidied_as_quebec_writes_them(formatted, expected):
    from tablee.text.french import dates

    assert dates(formatted) == expected
