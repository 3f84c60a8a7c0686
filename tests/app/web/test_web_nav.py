"""The signed-in navigation: kept rendered per language, path and organized associations, it must
still follow each of them at once."""

from __future__ import annotations

from django.conf import settings

from tablee.members.models import Membership


def _nav(page: str) -> str:
    return page[page.index('<nav class="main-nav"'):page.index("</nav>")]


def test_the_navigation_marks_the_page_i_am_on(client, member):
    client.force_login(member)
    nav = _nav(client.get("/circle/").content.decode())
    assert 'href="/circle/" aria-current="page"' in nav
    assert 'href="/gatherings/" aria-current' not in nav
    nav = _nav(client.get("/gatherings/").content.decode())
    assert 'href="/gatherings/" aria-current="page"' in nav and 'href="/circle/" aria-current' not in nav


def test_a_member_made_organizer_sees_the_organizer_link_on_the_next_page(client, member, association):
    client.force_login(member)
    assert f"/organize/associations/{association.slug}/" not in _nav(client.get("/gatherings/").content.decode())
    Membership.objects.filter(user=member, association=association).update(role=Membership.Role.ORGANIZER)
    nav = _nav(client.get("/gatherings/").content.decode())
    assert f"/organize/associations/{association.slug}/" in nav and "Organiser<" in nav


def test_an_organizer_of_two_associations_sees_both_by_name(client, organizer, other_association):
    Membership.objects.create(user=organizer, association=other_association, role=Membership.Role.ORGANIZER)
    client.force_login(organizer)
    nav = _nav(client.get("/gatherings/").content.decode())
    assert "Organiser\u00a0: Café-rencontres de Québec" in nav and "Organiser\u00a0: Une autre association" in nav


def test_the_navigation_follows_the_language_switch(client, member):
    client.force_login(member)
    assert "Mon cercle" in _nav(client.get("/circle/").content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    nav = _nav(client.get("/circle/").content.decode())
    assert "My circle" in nav and "Mon cercle" not in nav
