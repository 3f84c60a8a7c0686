"""`tablee association create`, `members import`, `members promote`, `token create`."""

from __future__ import annotations

import pytest

from tablee.cli import main
from tablee.members.models import ApiToken, Association, Membership, User

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"


def test_association_create_creates_it(db, capsys):
    code = main(["association", "create", "rgaq", "Réseau des gens d'affaires de Québec"])

    assert code == 0
    assert Association.objects.get(slug="rgaq").name == "Réseau des gens d'affaires de Québec"
    assert "rgaq" in capsys.readouterr().out


def test_association_create_refuses_an_existing_slug(association, capsys):
    code = main(["association", "create", association.slug, "Autre nom"])

    assert code == 1
    assert "existe déjà" in capsys.readouterr().err
    assert Association.objects.get(slug=association.slug).name == association.name


def test_association_create_refuses_a_bad_slug(db, capsys):
    code = main(["association", "create", "Mon Asso!", "Nom"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("tablee: error:") and "Traceback" not in err
    assert not Association.objects.exists()


def test_members_import_imports_a_good_file(association, tmp_path, capsys):
    path = tmp_path / "membres.csv"
    path.write_text(HEADER + "a@example.org,Anne,Roy,,,fr,,,\nb@example.org,Bruno,Roy,,,en,,,\n")

    code = main(["members", "import", association.slug, str(path)])

    assert code == 0
    assert "2\u00a0membres créés" in capsys.readouterr().out
    assert Membership.objects.filter(association=association).count() == 2


def test_members_import_reports_bad_lines_and_imports_nothing(association, tmp_path, capsys):
    path = tmp_path / "membres.csv"
    path.write_text(HEADER + "a@example.org,Anne,Roy,,,fr,,,\nb@example,Bruno,Roy,,,fr,,,\n")

    code = main(["members", "import", association.slug, str(path)])

    err = capsys.readouterr().err
    assert code == 1
    assert "ligne 3" in err and "rien n'a été importé" in err
    assert not User.objects.exists()


def test_members_import_refuses_an_unknown_association_or_a_missing_file(db, tmp_path, capsys):
    assert main(["members", "import", "inconnue", str(tmp_path / "x.csv")]) == 1
    assert "inconnue" in capsys.readouterr().err

    Association.objects.create(slug="a", name="A")
    assert main(["members", "import", "a", str(tmp_path / "absent.csv")]) == 1
    assert "absent.csv" in capsys.readouterr().err


def test_members_promote_makes_a_member_organizer(member, association, capsys):
    code = main(["members", "promote", association.slug, "MARIE@example.org", "--role", "organizer"])

    assert code == 0
    assert Membership.objects.get(user=member, association=association).role == "organizer"
    assert "marie@example.org" in capsys.readouterr().out


def test_members_promote_refuses_a_non_member(outsider, association, capsys):
    code = main(["members", "promote", association.slug, outsider.email, "--role", "organizer"])

    assert code == 1
    assert "n'est pas membre" in capsys.readouterr().err
    assert not Membership.objects.filter(user=outsider, association=association).exists()


def test_members_promote_refuses_an_unknown_email(association, capsys):
    assert main(["members", "promote", association.slug, "nobody@example.org", "--role", "member"]) == 1
    assert "nobody@example.org" in capsys.readouterr().err


def test_token_create_prints_one_working_token_per_account(member, organizer, capsys):
    code = main(["token", "create", member.email, organizer.email])

    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert [line.split(",")[0] for line in lines] == [member.email, organizer.email]
    for line in lines:
        email, raw = line.split(",")
        assert ApiToken.objects.for_raw(raw).get().user.email == email


def test_token_create_with_an_unknown_email_creates_no_token_at_all(member, capsys):
    code = main(["token", "create", member.email, "inconnu@example.org"])

    assert code == 1
    assert "inconnu@example.org" in capsys.readouterr().err
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["association", "create", "--help"],
        ["members", "import", "--help"],
        ["members", "promote", "--help"],
        ["token", "create", "--help"],
        ["demo", "--help"],
    ],
)
def test_help_works_on_each_command(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)

    assert exc.value.code == 0
    assert "usage: tablee" in capsys.readouterr().out
