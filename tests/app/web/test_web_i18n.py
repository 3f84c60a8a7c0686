"""French by default, English complete: Accept-Language, the switcher, and the member's profile language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import tablee


def test_french_is_the_default(client, db):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="fr-ca">' in page
    assert "Petites tables, vraies conversations." in page


def test_accept_language_english_shows_english(client, db):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in page
    assert "Small tables, real conversations." in page


def test_switcher_posts_to_setlang_and_sticks(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_signed_in_member_sees_their_profile_language(login, member):
    member.profile.preferred_language = "en"
    member.profile.save()
    page = login(member).get(reverse("gatherings:mine"), HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert '<html lang="en">' in page and "My gatherings" in page


def test_errors_come_in_the_user_language(client, login, outsider, make_gathering):
    response = client.get("/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Page not found" in response.content.decode()

    outsider.profile.preferred_language = "en"
    outsider.profile.save()
    gathering = make_gathering()  # in an association the outsider is not part of
    response = login(outsider).get(reverse("gatherings:detail", args=[gathering.pk]))
    assert response.status_code == 404 and "Page not found" in response.content.decode()


@pytest.mark.parametrize("template", sorted(
    str(p.relative_to(Path(tablee.__file__).parent))
    for folder in ("templates", "web/templates", "gatherings/templates", "members/templates")
    for p in (Path(tablee.__file__).parent / folder).rglob("*.html")
))
def test_every_visible_text_in_web_templates_is_translatable(template):
    """Text between tags outside a translate tag would stay French in English: there must be none."""
    source = (Path(tablee.__file__).parent / template).read_text()
    if template == "templates/500.html":  # static and bilingual: it must render even when Django cannot
        return
    stripped = re.sub(r"{%\s*(blocktranslate|comment).*?{%\s*end(blocktranslate|comment)\s*%}", "", source, flags=re.S)
    stripped = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<script.*?</script>|<style.*?</style>", "", stripped, flags=re.S)
    stripped = re.sub(r"<[^>]*>", "\n", stripped)
    leftovers = [line.strip() for line in stripped.splitlines() if re.search(r"[A-Za-zÀ-ÿ]{2,}", line)]
    assert [text for text in leftovers if text.strip(" ·←") != "Tablée"] == []
