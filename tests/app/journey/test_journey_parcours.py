"""Mon parcours: month-by-month figures and their SVG charts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tablee.journey import charts


def test_the_parcours_counts_quick_follow_ups_kept_promises_and_reached_intentions(member, make_contact):
    from tablee.circle.models import Card, FollowUp
    from tablee.circle.services import promise_close, promise_create
    from tablee.journey.selectors import parcours
    from tablee.journey.services import intention_create, reflection_record

    contact = make_contact(member, "Julie Bouchard")
    quick = Card.objects.create(owner=member, contact=contact, event_label="Salon")
    FollowUp.objects.create(owner=member, contact=contact, card=quick, due_on=timezone.localdate(),
                            status=FollowUp.Status.SENT, sent_at=timezone.now() + timedelta(days=1))
    slow_contact = make_contact(member, "Luc Morin")
    slow = Card.objects.create(owner=member, contact=slow_contact, event_label="Salon")
    FollowUp.objects.create(owner=member, contact=slow_contact, card=slow, due_on=timezone.localdate(),
                            status=FollowUp.Status.SENT, sent_at=timezone.now() + timedelta(days=4))
    promise_close(owner=member, promise=promise_create(owner=member, contact=contact, text="le rapport"), kept=True)
    intention = intention_create(author=member, event_title="Salon", event_date=timezone.localdate(),
                                 result="r", signal="s")
    reflection_record(intention=intention, reached=True, energy_after=2)

    today = timezone.localdate() + timedelta(days=4)
    data = parcours(user=member, today=today)
    series = {s.key: s.values for s in data["series"]}
    assert len(data["months"]) == 6
    assert sum(series["followups"]) == 1
    assert sum(series["kept"]) == 1
    assert sum(series["reached"]) == 1
    assert data["energy"] == [(timezone.localdate(), 3, 2)]


def test_the_parcours_page_draws_charts_and_no_contact_count(client, member, make_contact):
    from tablee.circle.services import promise_close, promise_create

    contacts = [make_contact(member, f"Contact {k}") for k in range(3)]
    promise_close(owner=member, promise=promise_create(owner=member, contact=contacts[0], text="le rapport"), kept=True)
    client.force_login(member)
    html = client.get("/parcours/").content.decode()
    assert html.count("<svg") == 4
    assert "<figcaption>Suivis envoyés en deux jours ou moins</figcaption>" in html
    assert "3 contacts" not in html and "Contact 0" not in html
    assert 'data-testid="parcours-empty"' not in html


def test_with_nothing_to_count_yet_the_parcours_says_what_will_show_instead_of_charts_of_zeros(
        client, member, make_contact):
    make_contact(member, "Contact 0")  # a contact is not a figure: it is never counted here
    client.force_login(member)
    html = client.get("/parcours/").content.decode()
    assert html.count("<svg") == 0 and 'data-testid="parcours-table"' not in html
    assert 'data-testid="parcours-empty"' in html and "Rien à compter pour l'instant" in html


def test_a_bar_chart_is_accessible_svg_with_escaped_labels():
    svg = str(charts.bar_chart(title="Promesses <tenues>", labels=["janv.", "févr."], values=[2, 5]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Promesses &lt;tenues&gt;</title>" in svg
    assert svg.count("<rect") == 2 and "févr.\u00a0: 5" in svg


def test_a_line_chart_draws_one_line_per_series():
    svg = str(charts.line_chart(title="Énergie", labels=["01/11", "08/11"], lines=[("avant", [3, 4]),
                                                                                  ("après", [2, 5])], top=5))
    assert svg.count("<polyline") == 2 and "avant, 08/11\u00a0: 4" in svg



def test_the_parcours_speaks_english_to_an_english_speaking_member(client, make_person, association, make_contact):
    from tablee.circle.services import promise_close, promise_create

    anglophone = make_person(association=association, email="ann@example.org", preferred_language="en")
    promise = promise_create(owner=anglophone, contact=make_contact(anglophone, "Lee"), text="the report")
    promise_close(owner=anglophone, promise=promise, kept=True)  # something to count: the charts show
    client.force_login(anglophone)
    html = client.get("/parcours/").content.decode()
    assert "My journey" in html and "Follow-ups sent within two days" in html
    assert "Suivis envoyés" not in html
