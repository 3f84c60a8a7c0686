"""API tokens: `tablee token revoke EMAIL [--id N]`, and a password change revokes them all."""

from __future__ import annotations

from tablee.cli import main
from tablee.members.models import ApiToken
from tablee.members.services import api_token_revoke, token_create


def _me(client, raw):
    return client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_token_revoke_email_makes_every_token_of_that_user_answer_401(client, member, other_member, capsys):
    mine = [token_create(user=member), token_create(user=member)]
    theirs = token_create(user=other_member)
    assert [_me(client, raw) for raw in mine] == [200, 200]

    assert main(["token", "revoke", "MARIE@example.org"]) == 0

    assert "2\u00a0jetons révoqués" in capsys.readouterr().out
    assert [_me(client, raw) for raw in mine] == [401, 401]
    assert _me(client, theirs) == 200


def test_token_revoke_with_id_revokes_that_one_only(client, member, other_member, capsys):
    keep, drop = token_create(user=member), token_create(user=member)
    theirs = token_create(user=other_member)
    drop_id = ApiToken.objects.get(key_hash=ApiToken.hash(drop)).pk
    theirs_id = ApiToken.objects.get(key_hash=ApiToken.hash(theirs)).pk

    assert main(["token", "revoke", "marie@example.org", "--id", str(drop_id)]) == 0
    # Someone else's token id is refused, and stays in force.
    assert main(["token", "revoke", "marie@example.org", "--id", str(theirs_id)]) == 1
    assert main(["token", "revoke", "personne@example.org"]) == 1

    err = capsys.readouterr().err
    assert "Traceback" not in err and "personne@example.org" in err
    assert (_me(client, keep), _me(client, drop), _me(client, theirs)) == (200, 401, 200)


def test_api_token_revoke_counts_what_it_revoked(member):
    raws = [token_create(user=member) for _ in range(3)]
    first = ApiToken.objects.get(key_hash=ApiToken.hash(raws[0])).pk

    assert api_token_revoke(user=member, token_id=first) == 1
    assert api_token_revoke(user=member, token_id=first) == 0
    assert api_token_revoke(user=member) == 2
    assert api_token_revoke(user=member) == 0


def test_a_password_reset_revokes_every_token(client, member):
    import re

    from django.urls import reverse

    from tablee.outbox.models import Email

    raw = token_create(user=member)
    client.post(reverse("password_reset"), {"email": "marie@example.org"})
    link = re.search(r"/accounts/reset/\S+", Email.objects.get(kind="password_reset").body_text).group(0)
    form = client.get(link, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Un-tout-nouveau-2026",
                                                    "new_password2": "Un-tout-nouveau-2026"})

    assert done.status_code == 302
    assert _me(client, raw) == 401


def test_changing_the_password_anywhere_revokes_but_creating_an_account_does_not(client, member, make_person):
    raw = token_create(user=member)
    member.set_password("encore-un-autre-2026")
    member.save()
    assert _me(client, raw) == 401

    newcomer = make_person(email="nouveau@example.org")
    fresh = token_create(user=newcomer)
    newcomer.first_name = "Nouveau"
    newcomer.save()  # a save without a new password keeps the tokens
    assert _me(client, fresh) == 200
