from __future__ import annotations

import pytest


@pytest.fixture
def make_contact():
    from tablee.circle.services import contact_create, note_add

    def make(owner, name, *, note="", **fields):
        fields.setdefault("email", name.lower().replace(" ", ".") + "@example.org")
        contact = contact_create(owner=owner, name=name, **fields)
        if note:
            note_add(owner=owner, contact=contact, text=note)
        return contact

    return make
