"""Share with the few: suggestions over my contacts only, one email per person, at most three."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tablee.circle.models import FollowUp
from tablee.journey.models import Share, ShareRecipient
from tablee.outbox.models import Email


@pytest.fixture
def circle(member, make_contact):
    return {
        "chen": make_contact(member, "David Chen", language="en",
                             note="Struggles to hire data engineers in Québec City."),
        "lavoie": make_contact(member, "Sophie Lavoie", note="Cherche du financement pour un deuxième four."),
        "roy": make_contact(member, "Isabelle Roy", organization="Cabinet Roy CPA",
                            note="Comptable, aime les crédits d'impôt."),
    }


def test_suggestions_rank_my_contacts_across_languages(api, member, circle):
    response = api.post("/api/share/suggest", {"text": "Job fair: dozens of data engineers looking for a new role"},
                        user=member)
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert suggestions[0]["contact_id"] == circle["chen"].pk
    assert suggestions[0]["score"] > 0 and suggestions[0]["why"]
    french = api.post("/api/share/suggest", {"text": "New funding program for small bakeries"}, user=member)
    assert french.json()["suggestions"][0]["contact_id"] == circle["lavoie"].pk


def test_suggestions_never_include_someone_elses_contacts(api, member, other_member, circle, make_contact):
    theirs = make_contact(other_member, "Daniel Wright", note="Accountant for R&D tax credits and data engineers")
    found = api.post("/api/share/suggest", {"text": "data engineers tax credits"}, user=member).json()["suggestions"]
    assert theirs.pk not in [s["contact_id"] for s in found]
    assert api.post("/api/share/suggest", {"text": "data engineers"}, user=other_member).json()["suggestions"][0][
        "contact_id"] == theirs.pk


def test_at_most_three_suggestions_each_with_a_personal_note(api, member, make_contact):
    for k in range(6):
        make_contact(member, f"Personne {k}", note="financement de démarrage")
    found = api.post("/api/share/suggest", {"text": "funding"}, user=member).json()["suggestions"]
    assert len(found) == 3
    assert all(s["note"].startswith("Bonjour Personne") for s in found)


def test_sharing_sends_one_email_per_person_through_the_followup_outbox(django_capture_on_commit_callbacks,
                                                                        member, circle):
    from tablee.journey.services import share_send

    text = "https://exemple.ca/salon-emploi-techno"
    with django_capture_on_commit_callbacks():
        share = share_send(author=member, text=text, picks=[(circle["chen"], "Hi David,"), (circle["roy"], "Bonjour")])
    emails = Email.objects.order_by("to")
    assert [e.to for e in emails] == ["david.chen@example.org", "isabelle.roy@example.org"]
    assert all(text in e.body_text for e in emails)
    followups = FollowUp.objects.filter(kind=FollowUp.Kind.SHARE)
    assert {f.email.key for f in followups} == {f"followup:{f.pk}" for f in followups}
    assert ShareRecipient.objects.filter(share=share).count() == 2


def test_more_than_three_people_is_refused_and_nothing_is_sent(member, make_contact):
    from tablee.journey.services import share_send

    people = [make_contact(member, f"Personne {k}") for k in range(4)]
    with pytest.raises(ValidationError):
        share_send(author=member, text="Un lien", picks=[(c, "Bonjour") for c in people])
    assert not Email.objects.exists() and not Share.objects.exists()


def test_a_contact_without_email_stops_the_whole_share(member, circle, make_contact):
    from tablee.journey.services import share_send

    nameless = make_contact(member, "Sans Courriel", email="")
    with pytest.raises(ValidationError):
        share_send(author=member, text="Un lien", picks=[(circle["chen"], "Hi"), (nameless, "Bonjour")])
    assert not Email.objects.exists() and not FollowUp.objects.exists()


def test_someone_elses_contact_cannot_receive_my_share(member, other_member, make_contact):
    from tablee.journey.services import share_send

    theirs = make_contact(other_member, "Daniel Wright")
    with pytest.raises(ValidationError):
        share_send(author=member, text="Un lien", picks=[(theirs, "Hi")])
    assert not Email.objects.exists()


def test_the_share_page_suggests_then_sends_to_the_ticked_people_only(client, member, circle):
    client.force_login(member)
    page = client.post("/parcours/share/", {"text": "Hiring fair for data engineers", "step": "suggest"})
    html = page.content.decode()
    assert 'data-testid="suggestion"' in html and "David Chen" in html
    assert "à tous" not in html and "to all" not in html
    sent = client.post("/parcours/share/", {"text": "Hiring fair for data engineers", "step": "send",
                                            "contact": [circle["chen"].pk], f"note_{circle['chen'].pk}": "Hi David"})
    assert sent.status_code == 302
    assert list(Email.objects.values_list("to", flat=True)) == ["david.chen@example.org"]


def test_each_email_speaks_the_contacts_language(member, circle):
    from tablee.journey.services import share_send

    share_send(author=member, text="https://example.org/jobs", picks=[(circle["chen"], "Hi David"),
                                                                     (circle["lavoie"], "Bonjour Sophie")])
    subjects = dict(Email.objects.values_list("to", "subject"))
    assert subjects["david.chen@example.org"] == "A link I thought you'd like"
    assert subjects["sophie.lavoie@example.org"] == "Un lien pensé pour toi"


def test_the_api_sends_to_the_picked_contacts_only_and_refuses_others(api, member, other_member, circle,
                                                                      make_contact):
    theirs = make_contact(other_member, "Daniel Wright")
    refused = api.post("/api/share", {"text": "Un lien", "picks": [{"contact_id": theirs.pk, "note": "Hi"}]},
                       user=member)
    assert refused.status_code == 404
    too_many = api.post("/api/share", {"text": "Un lien", "picks": [{"contact_id": c.pk} for c in circle.values()]
                                       + [{"contact_id": circle["chen"].pk}]}, user=member)
    assert too_many.status_code == 422
    assert not Email.objects.exists()
    sent = api.post("/api/share", {"text": "Un lien", "picks": [{"contact_id": circle["roy"].pk, "note": "Salut"}]},
                    user=member)
    assert sent.status_code == 201 and sent.json()["sent_to"] == [circle["roy"].pk]
    assert list(Email.objects.values_list("to", flat=True)) == ["isabelle.roy@example.org"]


@pytest.mark.parametrize(("language", "matched", "line"), [
    ("fr-ca", {"interests": ["voyages"]}, "Ça rejoint ton intérêt pour ce sujet : voyages."),
    ("fr-ca", {"interests": ["voyages", "vélo d'hiver"]}, "Ça rejoint ton intérêt pour ces sujets : voyages, vélo d'hiver."),
    ("fr-ca", {"meaning": ["conseils juridiques pour une startup"]},
     "Ça m'a semblé proche de ce que tu indiques dans ton profil : conseils juridiques pour une startup."),
    ("fr-ca", {"needs": ["une comptable"]}, "Ça rejoint ce que tu cherches : une comptable."),
    ("en", {"interests": ["travel"]}, "This ties in with your interest in this topic: travel."),
    ("en", {"meaning": ["legal advice for a startup"]},
     "It seemed close to what you mention in your profile: legal advice for a startup."),
])
def test_a_topic_in_the_share_note_draft_always_follows_a_colon(member, make_contact, language, matched, line):
    from tablee.journey.selectors import note_draft

    contact = make_contact(member, "Julie Gauthier", language=language)
    note = note_draft(owner=member, contact=contact, matched=matched)
    assert line in note.replace("\u00a0", " ").splitlines()


def test_the_shared_link_comes_before_the_signature_of_the_drafted_note(member, circle):
    from tablee.journey.selectors import note_draft
    from tablee.journey.services import share_send

    text = "https://exemple.ca/fonds-boulangeries"
    note = note_draft(owner=member, contact=circle["lavoie"], matched={"needs": ["financement"]})
    share_send(author=member, text=text, picks=[(circle["lavoie"], note)])
    body = FollowUp.objects.get().body  # the email adds its footer (the way out) after it
    assert body.endswith(f"\n\n{text}\n\nMarie Tremblay")
    assert body.startswith("Bonjour Sophie,") and body in Email.objects.get().body_text


def test_a_note_without_the_drafted_signature_keeps_the_shared_text_after_it(member, circle):
    from tablee.journey.services import share_send

    share_send(author=member, text="https://exemple.ca/x", picks=[(circle["lavoie"], "Bonjour Sophie,\n\nRegarde ça !")])
    assert FollowUp.objects.get().body == "Bonjour Sophie,\n\nRegarde ça !\n\nhttps://exemple.ca/x"


@pytest.fixture
def kept_member(member, other_member):
    """Samuel, kept by Marie from a gathering: linked to his account, no address of his own in her circle."""
    from tablee.circle.services import attendee_contact

    contact = attendee_contact(owner=member, member=other_member, gathering=None)
    assert contact.email == ""
    return contact


def test_a_member_kept_from_a_gathering_receives_the_share_at_an_address_marie_never_sees(member, kept_member):
    from tablee.journey.services import share_send

    share = share_send(author=member, text="https://exemple.ca/coop", picks=[(kept_member, "Bonjour Samuel")])
    email = Email.objects.get()
    assert (email.to, email.reply_to, email.topic) == ("samuel@example.org", "marie@example.org", "personal")
    assert ShareRecipient.objects.get(share=share).followup.email_id == email.pk
    kept_member.refresh_from_db()
    assert kept_member.email == ""  # the address stays his: nothing of it lands in Marie's circle


def test_the_share_page_sends_to_a_kept_member_without_showing_their_address(client, member, kept_member):
    client.force_login(member)
    sent = client.post("/parcours/share/", {"text": "Un lien", "step": "send", "contact": [kept_member.pk],
                                            f"note_{kept_member.pk}": "Bonjour Samuel"}, follow=True)
    html = sent.content.decode().replace("\u00a0", " ")
    assert "Partagé avec 1 personne" in html and "samuel@example.org" not in html
    assert list(Email.objects.values_list("to", flat=True)) == ["samuel@example.org"]


def test_a_member_who_refused_personal_emails_gets_no_share_and_marie_is_told(client, member, kept_member):
    from tablee.outbox.services import optout_set

    optout_set(address="samuel@example.org", topic="personal", refuse=True)
    client.force_login(member)
    page = client.post("/parcours/share/", {"text": "Un lien", "step": "send", "contact": [kept_member.pk]})
    assert page.status_code == 200
    assert "a choisi de ne plus recevoir de courriels via Tablée" in page.content.decode()
    assert not Email.objects.exists() and not FollowUp.objects.exists() and not Share.objects.exists()


def test_the_api_shares_with_a_kept_member_and_refuses_one_who_opted_out(api, member, kept_member):
    from tablee.outbox.services import optout_set

    sent = api.post("/api/share", {"text": "Un lien", "picks": [{"contact_id": kept_member.pk, "note": "Salut"}]},
                    user=member)
    assert sent.status_code == 201 and "samuel@example.org" not in sent.content.decode()
    optout_set(address="samuel@example.org", topic="personal", refuse=True)
    refused = api.post("/api/share", {"text": "Encore", "picks": [{"contact_id": kept_member.pk, "note": ""}]},
                       user=member)
    assert refused.status_code == 422
    assert Email.objects.count() == 1


def test_a_contact_with_neither_address_nor_account_is_named_in_the_refusal(client, member, make_contact):
    nameless = make_contact(member, "Chloé Girard", email="")
    client.force_login(member)
    page = client.post("/parcours/share/", {"text": "Un lien", "step": "send", "contact": [nameless.pk]})
    assert "Ajoutez d'abord le courriel de Chloé Girard." in page.content.decode().replace("&#x27;", "'")
    assert not Email.objects.exists() and not Share.objects.exists()
