"""Booking or giving up a seat in place (HTMX) also swaps the hub's links: « Ma tablée » and « Mon
intention » appear with the seat and leave with it, without a reload."""

from __future__ import annotations

import re

from django.test import Client

from tablee.gatherings.services import rsvp_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def _links(html: str) -> str:
    found = re.search(r'<p class="actions" id="hub-actions"[^>]*>.*?</p>', html, re.S)
    assert found, "the hub's links are not in the answer"
    return found.group(0)


def test_booking_in_place_brings_my_table_and_my_intention(gathering, member):
    client = Client()
    client.force_login(member)
    before = _links(client.get(f"/gatherings/{gathering.pk}/").content.decode())
    assert 'data-testid="hub-my-table"' not in before  # the control: no seat, no table

    answer = client.post(f"/gatherings/{gathering.pk}/rsvp/", **HTMX).content.decode()

    links = _links(answer)
    assert 'hx-swap-oob="true"' in links
    assert 'data-testid="hub-my-table"' in links and 'data-testid="hub-intention"' in links


def test_giving_up_the_seat_in_place_takes_them_away(gathering, member):
    rsvp_create(gathering=gathering, user=member)
    client = Client()
    client.force_login(member)
    assert 'data-testid="hub-my-table"' in _links(client.get(f"/gatherings/{gathering.pk}/").content.decode())

    answer = client.post(f"/gatherings/{gathering.pk}/cancel/", {"confirm": "1"}, **HTMX).content.decode()

    links = _links(answer)
    assert 'data-testid="hub-my-table"' not in links and 'data-testid="hub-intention"' not in links
    assert 'data-testid="hub-calendar"' in links


def test_the_whole_page_answer_carries_no_out_of_band_copy(gathering, member):
    client = Client()
    client.force_login(member)
    page = client.get(f"/gatherings/{gathering.pk}/").content.decode()
    assert page.count('id="hub-actions"') == 1 and "hx-swap-oob" not in _links(page)
