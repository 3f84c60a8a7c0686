"""Members CSV the way organizers make them: Excel for Mac (Mac Roman), UTF-16, French headers,
extra columns ignored with a warning; ambiguous bytes refused rather than guessed."""

from __future__ import annotations

from tablee.members.models import User
from tablee.members.services import members_import

FRENCH = "Courriel;Prénom;Nom;Organisation;Secteur;Langue(s);Offre(s);Besoin(s);Intérêt(s);Téléphone;Date d'adhésion\r"


def test_excel_for_mac_csv_is_read_as_mac_roman_with_a_warning(association):
    data = ("courriel,prénom,nom\r" "remi@example.org,Rémi,Côté\r" "ele@example.org,Éléonore,Bélanger\r").encode("mac_roman")

    result = members_import(association=association, data=data)

    assert (result.errors, result.created) == ([], 2)
    assert User.objects.get(email="remi@example.org").get_full_name() == "Rémi Côté"
    assert User.objects.get(email="ele@example.org").get_full_name() == "Éléonore Bélanger"
    assert len(result.warnings) == 1 and "Mac" in result.warnings[0][1]


def test_windows_1252_is_still_read_as_such(association):
    data = "email,first_name,last_name\nremi@example.org,Rémi,Côté\n".encode("cp1252")

    result = members_import(association=association, data=data)

    assert (result.errors, result.warnings) == ([], [])
    assert User.objects.get().get_full_name() == "Rémi Côté"


def test_bytes_that_read_as_french_both_ways_are_refused_not_guessed(association):
    data = b"email,first_name,last_name\na@example.org,Ren\x8e,Roy\nb@example.org,\xc9ric,Ren\x8e\n"

    result = members_import(association=association, data=data)

    assert result.errors and result.errors[0][0] == 2
    assert "UTF-8" in result.errors[0][1]
    assert User.objects.count() == 0


def test_utf16_with_a_bom_is_read(association):
    data = "email\tfirst_name\tlast_name\r\nzoe@example.org\tZoé\tCôté\r\n".encode("utf-16")

    result = members_import(association=association, data=data)

    assert (result.errors, result.created) == ([], 1)
    assert User.objects.get().first_name == "Zoé"


def test_utf16_without_a_bom_is_one_clear_error_without_nul_characters(association):
    data = "email,first_name,last_name\r\nzoe@example.org,Zoé,Côté\r\n".encode("utf-16-le")

    result = members_import(association=association, data=data)

    assert len(result.errors) == 1
    assert "\x00" not in result.errors[0][1] and "UTF-8" in result.errors[0][1]


def test_french_headers_and_extra_columns_import_with_a_warning(association):
    data = (FRENCH + "\ncamille@example.org;Camille;Roy;Coop Laval;santé;fr, en;mentorat;financement;vélo;418 555-0100;2024-09-01\r\n").encode("utf-8-sig")

    result = members_import(association=association, data=data)

    assert result.errors == [] and result.created == 1
    camille = User.objects.get()
    assert (camille.first_name, camille.profile.organization, camille.profile.languages) == ("Camille", "Coop Laval", ["fr", "en"])
    assert (camille.profile.offers, camille.profile.needs, camille.profile.interests) == (["mentorat"], ["financement"], ["vélo"])
    assert result.warnings == [(1, "colonnes ignorées (Tablée ne les garde pas)\u00a0: Téléphone, Date d'adhésion")]


def test_the_suggested_header_names_both_languages(association):
    result = members_import(association=association, data=b"courriel,nom\nx@example.org,Roy\n")

    assert result.errors[0][0] == 1
    assert "email,first_name,last_name" in result.errors[0][1]
    assert "courriel,prénom,nom" in result.errors[0][1]


def test_a_bad_csv_line_is_named_in_words_not_parser_text(association):
    data = b'email,first_name,last_name\na@example.org,"' + b"x" * 140_000 + b'",Roy\n'
    result = members_import(association=association, data=data)
    assert result.errors[0][0] == 2 and "cellule est trop longue" in result.errors[0][1]
    assert "field" not in result.errors[0][1]
