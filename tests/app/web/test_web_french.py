"""French as Québec writes it where names and numbers are dropped into sentences: « d' » before a
vowel, the meal as a common noun (« au déjeuner »), a plural by the French rule (0 carte, 1 personne),
no « Content·e » in the member's own voice; English right too."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tablee.gatherings.services import rsvp_create
from tablee.members.models import Association
from tablee.outbox.models import Email


def test_an_association_starting_with_a_vowel_is_elided_in_emails_and_pages(
    login, organizer, gathering, member, other_member
):
    Association.objects.filter(pk=gathering.association_id).update(name="Entreprendre Québec")
    gathering.refresh_from_db()
    other_member.profile.preferred_language = "en"
    other_member.profile.save()

    rsvp_create(gathering=gathering, user=member)
    rsvp_create(gathering=gathering, user=other_member)

    french = Email.objects.get(kind="rsvp_confirmed", to=member.email)
    english = Email.objects.get(kind="rsvp_confirmed", to=other_member.email)
    page = login(organizer).get(reverse("members:roster", args=[gathering.association.slug])).content.decode()
    assert "L'équipe d'Entreprendre Québec" in french.body_text
    html = french.body_html.replace("&#x27;", "'")
    assert "L'équipe d'Entreprendre Québec" in html  # (its footer names the topic, not the association)
    assert "de Entreprendre" not in french.body_text + french.body_html
    assert "Membres d'Entreprendre Québec" in page.replace("&#x27;", "'")
    assert "Entreprendre Québec" in english.body_text and "d'Entreprendre" not in english.body_text


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("fr-ca", 0, "Il vous reste 0\u00a0carte."),
    ("fr-ca", 1, "Il vous reste 1\u00a0carte."),
    ("fr-ca", 2, "Il vous reste 2\u00a0cartes."),
    ("en", 0, "You have 0 cards left."),
    ("en", 1, "You have 1 card left."),
])
def test_a_count_follows_the_plural_rule_of_its_language(language, count, expected):
    from django.template import Context, Template

    template = Template("{% load i18n %}{% blocktranslate count left=n %}Il vous reste {{ left }}\u00a0carte."
                        "{% plural %}Il vous reste {{ left }}\u00a0cartes.{% endblocktranslate %}")
    with translation.override(language):
        assert template.render(Context({"n": count})) == expected
