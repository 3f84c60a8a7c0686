"""Mends from the walk on a phone (session 9): the signed-out home page says « Devenir membre » once
and numbers its three points 1, 2, 3; the organizer's members page says in plain words who has not
signed in yet."""

from __future__ import annotations

import re

from django.test import Client


def test_the_signed_out_home_says_become_a_member_once_and_numbers_its_points_in_order(association):
    association.open_to_requests = True
    association.save()

    page = Client().get("/").content.decode().replace("&#x27;", "'")

    assert page.count("Devenir membre d'une association") == 1  # the button; the section has its own title
    assert "Associations ouvertes aux nouveaux membres" in page
    how = page[page.index("Comment ça marche"):]
    assert re.findall(r'<span class="num" aria-hidden="true">(\d+)</span>', how) == ["1", "2", "3"]
    assert '<ol class="pillars">' in how


def test_the_members_page_says_who_has_not_signed_in_yet_in_plain_words(client, organizer, association, make_person):
    make_person(association=association, email="nadia@example.org")
    make_person(association=association, email="luc@example.org")
    client.force_login(organizer)

    page = client.get(f"/organize/associations/{association.slug}/members/").content.decode()
    page = page.replace("&#x27;", "'").replace("\u00a0", " ")

    assert "2 membres n'ont pas encore ouvert de session sur Tablée." in page
    assert "jamais utilisé" not in page
