"""`tablee members invite SLUG [EMAIL …]` and `tablee members import … --invite`."""

from __future__ import annotations

from django.utils import timezone

from tablee.cli import main
from tablee.members.models import LoginLink, User
from tablee.outbox.models import Email

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"


def test_invite_without_emails_invites_everyone_who_never_signed_in(association, member, other_member, organizer,
                                                                    capsys):
    User.objects.filter(pk=organizer.pk).update(last_login=timezone.now())

    assert main(["members", "invite", association.slug]) == 0

    assert "2\u00a0invitations mises en file d'envoi" in capsys.readouterr().out
    assert sorted(Email.objects.values_list("to", flat=True)) == [member.email, other_member.email]
    assert LoginLink.objects.filter(purpose="invitation").count() == 2


def test_invite_named_members_reinvites_them(association, member, capsys):
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())

    assert main(["members", "invite", association.slug, "MARIE@example.org"]) == 0

    assert "1\u00a0invitation mise en file d'envoi" in capsys.readouterr().out
    assert list(Email.objects.values_list("to", flat=True)) == [member.email]


def test_invite_refuses_an_address_that_is_not_a_member_and_sends_nothing(association, member, outsider, capsys):
    assert main(["members", "invite", association.slug, member.email, outsider.email]) == 1

    assert outsider.email in capsys.readouterr().err
    assert not Email.objects.exists()


def test_import_with_invite_invites_only_who_never_signed_in(association, member, tmp_path, capsys):
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())
    path = tmp_path / "membres.csv"
    path.write_text(HEADER + "marie@example.org,Marie,Tremblay,,,fr,,,\nnadia@example.org,Nadia,Roy,,,fr,,,\n")

    assert main(["members", "import", association.slug, str(path), "--invite"]) == 0

    assert "1\u00a0invitation mise en file d'envoi" in capsys.readouterr().out
    assert list(Email.objects.values_list("to", flat=True)) == ["nadia@example.org"]


def test_import_without_invite_sends_nothing(association, tmp_path):
    path = tmp_path / "membres.csv"
    path.write_text(HEADER + "nadia@example.org,Nadia,Roy,,,fr,,,\n")

    assert main(["members", "import", association.slug, str(path)]) == 0

    assert not Email.objects.exists()
