"""« Partager avec quelques personnes » understands meaning: the app's own path (stored vectors, the
combined score of `tablee.text.share_rank`) on the 50-contact circle of ranking.json.

Figures are printed per set and language (every set here is in-sample now):
- in-sample: ranking.json, ranking_heldout.json, ranking_heldout2.json (used to choose the weights)
  and share_heldout_i11.json (frozen before tuning, scored once, then looked at: in-sample since);
- share_heldout_i11b.json, frozen before anything was changed after the first set's score, and
  share_heldout_s2.json, with its own circle of 24 contacts, written and frozen by session 2 before
  its method change: both were held out until session 2, scored before session 3 and looked at for
  its change (the lexical channel gated by meaning, `tablee.text.share_rank`): in-sample since.
  They keep their own figures and floors below. Session 3's blind set (s3) is the held-out one.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from tablee.journey import selectors
from tablee.text import embeddings

DATA = Path(__file__).parent / "data"
IN_SAMPLE = ("ranking.json", "ranking_heldout.json", "ranking_heldout2.json", "share_heldout_i11.json")
HELD_OUT = "share_heldout_i11b.json"
# Its own circle of 24 contacts, frozen before the session-2 method change (origin in the file); in-sample
# since session 3.
HELD_OUT_OWN_CIRCLE = "share_heldout_s2.json"
# Session 3's blind set: 30 contacts and 40 texts written by a helper who never saw the ranking code
# nor the other sets, frozen at 21:46 UTC before session 3's change, scored once after it (the floors
# below are what that one scoring reached). Never looked at for tuning.
BLIND = "share_heldout_s3.json"
TIMESTAMPED = ("share_heldout_i11.json", "share_heldout_i11b.json", "share_heldout_s2.json", BLIND)
# Session 8's two blind sets: 30 contacts and 40 texts each (20 per language, half of them crossed),
# written by a helper who never saw the code nor any other set, frozen at 18:11 UTC on 2026-12-02, kept
# outside the repository while another helper tried a learned adapter (not kept), then scored once on
# the unchanged method (the floors are what that scoring reached).
# Scored once (2026-12-02 18:52 UTC): s8a fr 16/20, en 16/20; s8b fr 20/20, en 17/20; together fr 36/40
# (90 %), en 33/40 (82 %): issue 11's 9 in 10 holds in French only. Held as floors.
BLIND_S8 = {"share_heldout_s8a.json": ("fr", 16, "en", 16), "share_heldout_s8b.json": ("fr", 20, "en", 17)}
# Session 9's second blind set (the first, s9a, became the development set below): written by the same
# blind helper with pairs of contacts on the two sides of one need, frozen at 06:22 UTC on 2026-12-03,
# kept outside the repository, scored once on the shipped method (07:09 UTC): fr 9/20, en 11/20; and
# once with the seeking split on (07:30 UTC, not shipped: s3 fr 16 -> 14): fr 11/20, en 11/20. With the
# older sets the shipped method ranks the right contact first on fr 61/80, en 59/80 held out (s3, s8a,
# s8b, s9b): circles holding both sides of a need are where it fails. Held as floors.
BLIND_S9 = {"share_heldout_s9b.json": ("fr", 9, "en", 11)}
# Session 9's development set: 30 contacts and 40 texts written blind with several pairs of contacts on
# the two sides of one need (origin in the file); scored once with the app (fr 9/20, en 16/20), then
# looked at: in-sample since. Floors: the app's figures, and those of the seeking split (off in the app,
# `tablee.text.share_rank.SEEKING_WEIGHT`) that was developed on it.
DEV_S9A = "share_dev_s9a.json"


@pytest.fixture
def circle(member, make_person):
    """Marie's circle: the 50 fixture people as consenting Tablée members, with her notes."""
    from tablee.circle.models import Contact, Note

    contacts = json.loads((DATA / "ranking.json").read_text(encoding="utf-8"))["contacts"]
    ids = {}
    for c in contacts:
        person = make_person(email=f"c{c['id']}@example.org", password=None, first_name=c["name"].split()[0],
                             last_name=c["name"].split(maxsplit=1)[1], organization=c["organization"],
                             sector=c["sector"], needs=c["needs"], interests=c["interests"],
                             directory_consent_at=timezone.now())
        contact = Contact.objects.create(owner=member, user=person, name=c["name"], email=person.email,
                                         organization=c["organization"])
        Note.objects.create(owner=member, contact=contact, text=c["notes"])
        ids[contact.pk] = c["id"]
    return ids


def _load_own_circle(owner, make_person, name: str) -> dict[int, int]:
    """The circle of a set that brings its own (s2, s3): consenting members, and contacts known by a
    note only (``member`` false). Returns contact pk → the set's contact id."""
    from tablee.circle.models import Contact, Note

    prefix = name.removeprefix("share_heldout_").removesuffix(".json")
    ids = {}
    for c in json.loads((DATA / name).read_text(encoding="utf-8"))["contacts"]:
        email = f"{prefix}-{c['id']}@example.org"
        person = None
        if c["member"]:
            person = make_person(email=email, password=None, first_name=c["name"].split()[0],
                                 last_name=c["name"].split(maxsplit=1)[1], organization=c["organization"],
                                 sector=c["sector"], needs=c["needs"], interests=c["interests"],
                                 directory_consent_at=timezone.now())
        contact = Contact.objects.create(owner=owner, user=person, name=c["name"], email=email,
                                         organization=c["organization"], position=c["position"],
                                         language="fr-ca" if c["lang"] == "fr" else "en")
        Note.objects.create(owner=owner, contact=contact, text=c["notes"])
        ids[contact.pk] = c["id"]
    return ids


@pytest.fixture
def own_circle(other_member, make_person):
    """Samuel's circle of share_heldout_s2.json: consenting members, and two contacts known by a note only."""
    return _load_own_circle(other_member, make_person, HELD_OUT_OWN_CIRCLE)


def _accuracy(member, ids, names) -> dict[str, tuple[int, int]]:
    found = {"fr": [0, 0], "en": [0, 0]}
    for name in names:
        for item in json.loads((DATA / name).read_text(encoding="utf-8"))["texts"]:
            suggestions = selectors.share_suggestions(owner=member, text=item["text"])
            found[item["lang"]][0] += bool(suggestions) and ids[suggestions[0].contact.pk] == item["expected"]
            found[item["lang"]][1] += 1
    return {lang: (hit, total) for lang, (hit, total) in found.items()}


def test_held_out_sets_are_frozen_with_their_origin_and_date():
    for name in TIMESTAMPED:
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert data["frozen"] is True and "2026-12-01" in data["origin"]
        assert {t["lang"] for t in data["texts"]} == {"fr", "en"}


def test_session_8_and_9_blind_sets_are_frozen_with_their_origin_and_date():
    for name in BLIND_S8 | BLIND_S9:
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        session = "session 9" if name in BLIND_S9 else "session 8"
        assert data["frozen"] is True and session in data["origin"] and "2026" in data["origin"]
        assert len(data["texts"]) == 40 and {t["lang"] for t in data["texts"]} == {"fr", "en"}


def test_share_ranks_by_meaning_in_sample_and_held_out(member, circle, capsys):
    inside = _accuracy(member, circle, IN_SAMPLE)
    held = _accuracy(member, circle, [HELD_OUT])
    with capsys.disabled():
        for label, figures in (("in-sample", inside), ("in-sample i11b", held)):
            print(f"\nshare top-1 {label}: " + ", ".join(f"{lang} {h}/{t} ({h / t:.0%})"
                                                       for lang, (h, t) in figures.items()))
    # The figures reached, held as floors: a change that loses one text fails. Session 2: fr 25/32,
    # en 34/36, i11b fr 11/14, en 10/14; session 3 (lexical gated by meaning): i11b en 11/14.
    # Issue 11's target is 9 in 10 on held-out texts: not reached (i11b fr 79 %, en 79 %). Chance is 2 %.
    assert inside["fr"][0] >= 25 and inside["en"][0] >= 34
    assert held["fr"][0] >= 11 and held["en"][0] >= 11


def test_share_ranks_by_meaning_on_a_held_out_circle_of_its_own(other_member, own_circle, capsys):
    held = _accuracy(other_member, own_circle, [HELD_OUT_OWN_CIRCLE])
    with capsys.disabled():
        print("\nshare top-1 in-sample s2: " + ", ".join(f"{lang} {h}/{t} ({h / t:.0%})" for lang, (h, t) in held.items()))
    # Reached (session 2): fr 11/14, en 11/14, before and after the method change; session 3 (looked at
    # for its change, in-sample since): fr 12/14, en 11/14. Target 9 in 10: not reached.
    assert held["fr"][0] >= 12 and held["en"][0] >= 11


def test_share_ranks_by_meaning_on_a_blind_held_out_set(other_member, make_person, capsys):
    held = _accuracy(other_member, _load_own_circle(other_member, make_person, BLIND), [BLIND])
    with capsys.disabled():
        print("\nshare top-1 held-out s3 (blind): " + ", ".join(f"{lang} {h}/{t} ({h / t:.0%})"
                                                            for lang, (h, t) in held.items()))
    # Scored once (session 3, 2026-12-01 22:40 UTC): fr 16/20 (80 %), en 15/20 (75 %). Issue 11's
    # target, 9 in 10, is not reached. Held as floors.
    assert held["fr"][0] >= 16 and held["en"][0] >= 15


def test_a_french_text_finds_an_english_contact_by_meaning_alone(member, make_contact):
    make_contact(member, "Sam Rivers", note="Looking for seed funding for his startup")
    make_contact(member, "Lou Piste", note="Fait du ski de fond chaque fin de semaine")
    [first, *_rest] = selectors.share_suggestions(owner=member, text="Un nouveau fonds pour trouver du financement")
    assert first.contact.name == "Sam Rivers"


@pytest.mark.django_db(transaction=True)  # the in-process worker must see committed rows (PostgreSQL)
def test_vectors_are_stored_when_written_and_reused(member, make_contact, django_capture_on_commit_callbacks):
    from tablee import cli
    from tablee.circle.models import Contact, Note

    with django_capture_on_commit_callbacks(execute=True):
        contact = make_contact(member, "Sam Rivers", note="Looking for seed funding", organization="Rivers Labs")
    assert cli.main(["-v", "0", "worker", "--batch"]) == 0  # the task the write enqueued
    contact = Contact.objects.get(pk=contact.pk)
    note = Note.objects.get(contact=contact)
    assert contact.vectors and contact.vectors_key and note.vector
    stored = np.frombuffer(bytes(note.vector), dtype="<f4")
    assert stored.shape == (embeddings.DIMENSIONS,) and abs(float(np.linalg.norm(stored)) - 1) < 1e-3
    # A changed text makes the stored row stale: it is recomputed, never trusted.
    from tablee.circle import vectors

    assert vectors.contact_is_current(contact)
    contact.organization = "Autre chose"
    assert not vectors.contact_is_current(contact)


def test_the_backfill_command_stores_missing_vectors(member):
    from django.core.management import call_command

    from tablee.circle.models import Contact, Note

    contact = Contact.objects.create(owner=member, name="Ancienne Fiche", organization="Coop")
    Note.objects.create(owner=member, contact=contact, text="Parle de vélo d'hiver")
    call_command("circle_vectors")
    assert Contact.objects.get(pk=contact.pk).vectors and Note.objects.get(contact=contact).vector


def test_the_note_draft_never_cites_my_notes_or_a_link(member, make_contact):
    make_contact(member, "Sam Rivers", note="Lien https://example.com/financement : financement d'amorçage")
    [first] = selectors.share_suggestions(owner=member, text="trouver du financement d'amorçage", limit=1)
    for fragment in ("https", "example", "Lien", "amorçage"):
        assert fragment not in first.note
    assert first.note.startswith("Bonjour Sam,")


def test_a_profile_without_consent_is_not_read(member, make_person, association):
    from tablee.circle.models import Contact

    person = make_person(association=association, email="discret@example.org", first_name="Discret",
                         needs=["subventions pour l'exportation"])
    Contact.objects.create(owner=member, user=person, name="Discret Person", email=person.email)
    assert selectors.share_suggestions(owner=member, text="subventions pour l'exportation") == []


@pytest.mark.parametrize("name", sorted(BLIND_S8 | BLIND_S9))
def test_share_ranks_by_meaning_on_session_8_and_9_blind_sets(name, other_member, make_person, capsys):
    held = _accuracy(other_member, _load_own_circle(other_member, make_person, name), [name])
    with capsys.disabled():
        print(f"\nshare top-1 held-out {name} (blind): " + ", ".join(f"{lang} {h}/{t} ({h / t:.0%})"
                                                                  for lang, (h, t) in held.items()))
    _fr, fr_floor, _en, en_floor = (BLIND_S8 | BLIND_S9)[name]
    assert held["fr"][0] >= fr_floor and held["en"][0] >= en_floor


def test_share_on_the_development_set_with_pairs_of_both_sides(other_member, make_person, capsys):
    held = _accuracy(other_member, _load_own_circle(other_member, make_person, DEV_S9A), [DEV_S9A])
    with capsys.disabled():
        print("\nshare top-1 development s9a: " + ", ".join(f"{lang} {h}/{t} ({h / t:.0%})"
                                                          for lang, (h, t) in held.items()))
    # Scored before anything was changed (session 9): fr 9/20, en 16/20. Most misses go to the contact
    # on the same side of a need as the one the text describes (bench/RESULTS.md).
    assert held["fr"][0] >= 9 and held["en"][0] >= 16


def test_the_seeking_split_on_the_development_set(other_member, make_person, monkeypatch, capsys):
    from tablee.text import share_rank

    monkeypatch.setattr(share_rank, "SEEKING_WEIGHT", 1.0)
    held = _accuracy(other_member, _load_own_circle(other_member, make_person, DEV_S9A), [DEV_S9A])
    with capsys.disabled():
        print("\nshare top-1 development s9a, seeking split on: " + ", ".join(
            f"{lang} {h}/{t} ({h / t:.0%})" for lang, (h, t) in held.items()))
    # Reached in session 9 (chosen on this set): fr 11/20, en 17/20; off in the app, see share_rank.
    assert held["fr"][0] >= 11 and held["en"][0] >= 17
