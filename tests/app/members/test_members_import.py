"""CSV import: all or nothing, line numbers, encodings, delimiters, updates by email."""

from __future__ import annotations

import pytest

from tablee.members.models import Membership, Profile, User
from tablee.members.services import members_import

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode(encoding)


def test_a_good_file_creates_people_profiles_and_memberships(association):
    data = csv_bytes(
        "Julie.Bouchard@Example.org,Julie,Bouchard,Clinique Vitalis,santé,français;anglais,"
        "physiothérapie;ergonomie au bureau,premiers clients en santé,vélo;jardinage",
        "luc@example.org,Luc,Gauthier,,,fr,,,",
    )

    result = members_import(association=association, data=data)

    assert result.errors == []
    assert (result.created, result.updated) == (2, 0)
    julie = User.objects.get(email="julie.bouchard@example.org")
    assert (julie.first_name, julie.last_name) == ("Julie", "Bouchard")
    assert not julie.has_usable_password()
    assert julie.profile.organization == "Clinique Vitalis"
    assert julie.profile.languages == ["fr", "en"]
    assert julie.profile.offers == ["physiothérapie", "ergonomie au bureau"]
    assert julie.profile.needs == ["premiers clients en santé"]
    assert julie.profile.interests == ["vélo", "jardinage"]
    assert julie.profile.directory_visibility == Profile.Visibility.NOBODY
    assert Membership.objects.get(user=julie, association=association).role == "member"
    assert Membership.objects.filter(association=association).count() == 2


def test_one_invalid_row_imports_nothing_and_names_its_line(association):
    data = csv_bytes(
        "a@example.org,Anne,Roy,,,fr,,,",
        "pas-un-courriel,Bruno,Roy,,,fr,,,",
        "c@example.org,Chloé,Roy,,,fr,,,",
    )

    result = members_import(association=association, data=data)

    assert len(result.errors) == 1
    line, reason = result.errors[0]
    assert line == 3
    assert "courriel invalide" in reason
    assert User.objects.count() == 0
    assert Membership.objects.count() == 0


def test_every_bad_row_is_reported_with_its_physical_line(association):
    data = csv_bytes(
        'a@example.org,Anne,Roy,"Coop\nsur deux lignes",,fr,,,',  # lines 2-3
        "b@example.org,,Roy,,,klingon,,,",  # line 4
        "A@example.org,Alice,Roy,,,fr,,,",  # line 5: duplicate of line 2
        "d@example.org,Denis," + "x" * 151 + ",,,fr,,,",  # line 6
        "e@example.org,Eve,Roy,,,fr",  # line 7: short row
    )

    result = members_import(association=association, data=data)

    by_line = {line: reason.replace("\u00a0", " ") for line, reason in result.errors}
    assert sorted(by_line) == [4, 5, 6, 7]
    assert "« prénom » est vide" in by_line[4] and "klingon" in by_line[4]  # the column in the reader's words
    assert "double" in by_line[5] and "ligne 2" in by_line[5]
    assert "trop long" in by_line[6]
    assert "offres, besoins, intérêts" in by_line[7]
    assert User.objects.count() == 0


def test_a_utf8_file_with_bom_is_read(association):
    data = b"\xef\xbb\xbf" + csv_bytes("h@example.org,Hélène,Lévesque,,,fr,,,")

    result = members_import(association=association, data=data)

    assert result.errors == []
    assert User.objects.get(email="h@example.org").first_name == "Hélène"


def test_a_windows_1252_file_from_excel_is_read(association):
    data = csv_bytes("f@example.org,François,Bélanger,Café Saint-Roch,,français,,,",
                     encoding="cp1252")
    assert "é".encode("cp1252") in data  # really not UTF-8

    result = members_import(association=association, data=data)

    assert result.errors == []
    user = User.objects.get(email="f@example.org")
    assert (user.first_name, user.last_name) == ("François", "Bélanger")
    assert user.profile.organization == "Café Saint-Roch"


def test_a_semicolon_file_from_french_excel_is_read(association):
    header = "email;first_name;last_name;organization;sector;languages;offers;needs;interests\r\n"
    data = (header + 'g@example.org;Gabriel;Côté;Coop, inc.;techno;fr;"site web;infonuagique";;\r\n').encode()

    result = members_import(association=association, data=data)

    assert result.errors == []
    profile = User.objects.get(email="g@example.org").profile
    assert profile.organization == "Coop, inc."
    assert profile.offers == ["site web", "infonuagique"]


def test_french_header_names_and_excel_sep_line_are_accepted(association):
    data = "sep=;\nCourriel;Prénom;Nom;Langues\nk@example.org;Karine;Ouellet;fr/en\n".encode()

    result = members_import(association=association, data=data)

    assert result.errors == []
    assert User.objects.get(email="k@example.org").profile.languages == ["fr", "en"]


def test_an_existing_email_adds_the_person_and_only_fills_their_empty_values(association, outsider):
    Profile.objects.filter(user=outsider).update(offers=["traduction"], sector="culture")

    data = csv_bytes("ALEX@example.org,Alexandra,Smith,Traductions AS,,en;es,,réseau à Québec,")
    result = members_import(association=association, data=data)

    assert result.errors == []
    assert (result.created, result.updated, result.joined, result.kept) == (0, 1, 1, 2)
    outsider.refresh_from_db()
    # What Alex had filled in stays: the first name and the languages.
    assert outsider.first_name == "Alex"
    assert outsider.profile.languages == ["en"]
    # What was empty is filled from the file.
    assert outsider.profile.organization == "Traductions AS"
    assert outsider.profile.needs == ["réseau à Québec"]
    # Empty cells keep what was there.
    assert outsider.profile.offers == ["traduction"]
    assert outsider.profile.sector == "culture"
    assert Membership.objects.filter(user=outsider, association=association).exists()
    assert User.objects.count() == 1


def test_an_import_never_replaces_what_a_member_wrote_by_default(association, member):
    data = csv_bytes("marie@example.org,Marianne,Tremblay,Autre Coop,,fr,comptabilité,,vélo")

    result = members_import(association=association, data=data)

    assert (result.updated, result.kept) == (1, 3)
    member.refresh_from_db()
    assert member.first_name == "Marie"
    assert member.profile.organization == "Coop Laval"
    assert member.profile.offers == ["financement"]
    assert member.profile.interests == ["vélo"]  # was empty


def test_an_explicit_overwrite_replaces_a_members_filled_values(association, member):
    data = csv_bytes("marie@example.org,Marianne,Tremblay,Autre Coop,,fr,comptabilité,,")

    result = members_import(association=association, data=data, overwrite=True)

    assert (result.updated, result.kept) == (1, 0)
    member.refresh_from_db()
    assert member.first_name == "Marianne"
    assert member.profile.organization == "Autre Coop"
    assert member.profile.offers == ["comptabilité"]
    assert member.profile.needs == ["mentorat"]  # an empty cell still keeps


def test_an_overwrite_never_reaches_someone_who_joins_from_another_association(association, outsider):
    data = csv_bytes("alex@example.org,Alexandra,Smith,,,es,,,")

    result = members_import(association=association, data=data, overwrite=True)

    assert (result.joined, result.kept) == (1, 2)
    outsider.refresh_from_db()
    assert (outsider.first_name, outsider.profile.languages) == ("Alex", ["en"])


def test_importing_the_same_file_twice_changes_nothing_the_second_time(association):
    data = csv_bytes("m@example.org,Mia,Roy,,,fr,,,", "n@example.org,Noé,Roy,,,en,,,")

    members_import(association=association, data=data)
    again = members_import(association=association, data=data)

    assert (again.created, again.updated, again.joined) == (0, 2, 0)
    assert User.objects.count() == 2
    assert Membership.objects.count() == 2


def test_someone_who_speaks_only_english_gets_the_english_interface(association):
    members_import(association=association, data=csv_bytes("o@example.org,Owen,Reid,,,English,,,"))

    assert User.objects.get(email="o@example.org").profile.preferred_language == "en"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("email,last_name\n", "first_name"),
        ("email,last_name,langues_parlees\n", "langues_parlees"),
        ("email,first_name,last_name,email\n", "double"),
    ],
)
def test_a_bad_header_is_one_clear_error(association, header, expected):
    result = members_import(association=association, data=csv_bytes("x@example.org,X,Y", header=header))

    assert len(result.errors) == 1
    assert result.errors[0][0] == 1
    assert expected in result.errors[0][1]
    assert User.objects.count() == 0


def test_an_empty_file_is_an_error(association):
    assert members_import(association=association, data=b"").errors
    assert members_import(association=association, data=HEADER.encode()).errors


def test_a_file_in_neither_encoding_is_an_error_with_its_line(association):
    data = csv_bytes("a@example.org,A,B,,,fr,,,") + b"b@example.org,\x81,B,,,fr,,,\n"

    result = members_import(association=association, data=data)

    assert result.errors[0][0] == 3
    assert User.objects.count() == 0


def test_a_file_mixing_utf8_and_windows_1252_is_refused(association):
    data = csv_bytes("a@example.org,Anne,Roy,,,fr,,,", "b@example.org,François,Roy,,,fr,,,")
    data += "c@example.org,Éloïse,Roy,,,fr,,,\n".encode("cp1252")  # one stray Excel line

    result = members_import(association=association, data=data)

    assert [line for line, _reason in result.errors] == [3]
    assert "UTF-8" in result.errors[0][1]
    assert User.objects.count() == 0


def test_columns_may_come_in_any_order_and_a_short_row_is_an_error(association):
    header = "last_name,email,first_name\n"
    data = csv_bytes("Roy,a@example.org,Anne", "Roy,b@example.org", header=header)

    result = members_import(association=association, data=data)

    assert [line for line, _reason in result.errors] == [3]
    assert result.errors[0][1] == "colonnes manquantes sur cette ligne\u00a0: prénom"
    assert User.objects.count() == 0


class FailAtWrite:
    """A database execute wrapper that counts the writes (INSERT, UPDATE, DELETE) and raises on the Nth."""

    def __init__(self, fail_at: int | None = None):
        self.fail_at = fail_at
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.writes += 1
            if self.writes == self.fail_at:
                raise RuntimeError(f"injected failure at write {self.writes}")
        return execute(sql, params, many, context)


def _import_writes(association, member, fail_at: int | None):
    from django.db import connection

    # One new person, one member whose names and profile the organizer chose to replace.
    data = csv_bytes("new@example.org,Nadia,Nouvelle,,,fr,,,",
                     "MARIE@example.org,Marianne,Tremblay,Traductions AS,,en;es,,réseau à Québec,")
    wrapper = FailAtWrite(fail_at)
    with connection.execute_wrapper(wrapper):
        members_import(association=association, data=data, overwrite=True)
    return wrapper.writes


def test_the_import_makes_several_writes_so_a_failure_can_fall_between_them(association, member):
    from django.db import transaction

    with transaction.atomic():
        writes = _import_writes(association, member, fail_at=None)
        transaction.set_rollback(True)
    # New user, new profile, updated names, updated profile, memberships: 5 statements on SQLite
    # and PostgreSQL alike (a batch is one statement).
    assert writes == 5


@pytest.mark.django_db(transaction=True)  # real commits: a write outside the import's transaction stays
@pytest.mark.parametrize("fail_at", [2, 3, 4, 5])
def test_a_failure_halfway_through_the_writes_leaves_nothing(association, member, fail_at):
    """All or nothing also when the database fails after some writes (removing the atomic block fails this)."""
    member_before = (member.first_name, member.profile.organization, member.profile.needs)

    with pytest.raises(RuntimeError, match=f"write {fail_at}"):
        _import_writes(association, member, fail_at=fail_at)

    assert not User.objects.filter(email="new@example.org").exists()
    assert not Profile.objects.filter(user__email="new@example.org").exists()
    after = User.objects.select_related("profile").get(pk=member.pk)
    assert (after.first_name, after.profile.organization, after.profile.needs) == member_before
    assert list(Membership.objects.filter(association=association).values_list("user_id", flat=True)) == [member.pk]
