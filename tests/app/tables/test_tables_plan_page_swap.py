"""The plan page's swap form starts on no one: it never proposes to swap a person with herself."""

from __future__ import annotations

import re


def test_the_swap_form_starts_with_no_one_chosen_on_either_side(client, crowd, organizer, make_breakfast, planned):
    gathering = make_breakfast(crowd[:12])
    planned(gathering)
    client.force_login(organizer)

    page = client.get(f"/organize/gatherings/{gathering.pk}/tables/").content.decode()

    for side in ("a", "b"):
        select = re.search(rf'<select name="{side}" data-testid="swap-{side}" required>(.*?)</select>', page, re.S)
        assert select, side
        first, *others = re.findall(r"<option[^>]*>", select.group(1))
        assert first == '<option value="" selected disabled>' and len(others) == 12
        assert not any("selected" in option for option in others)
