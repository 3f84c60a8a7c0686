"""Offers, needs and interests are typed in boxes that wrap on a phone: a one-line answer reads as it
always did (commas or semicolons), and a line break in the box separates items too."""

from __future__ import annotations

from django import forms

from tablee.members.forms import ProfileForm


def _lists(**data) -> dict:
    form = ProfileForm(data={"preferred_language": "fr-ca", "directory_visibility": "nobody", **data})
    assert form.is_valid(), form.errors
    return {k: form.cleaned_data[k] for k in data}


def test_the_three_lists_are_boxes_that_wrap_and_the_languages_stay_one_line():
    form = ProfileForm()
    for name in ("offers", "needs", "interests"):
        assert isinstance(form.fields[name].widget, forms.Textarea)
    assert not isinstance(form.fields["languages"].widget, forms.Textarea)


def test_a_one_line_list_reads_as_before():
    assert _lists(offers="pharmacie communautaire, gestion de clinique; ergonomie au bureau ,") == {
        "offers": ["pharmacie communautaire", "gestion de clinique", "ergonomie au bureau"]}


def test_a_line_break_separates_items_and_no_item_keeps_one():
    assert _lists(needs="trouver un mentor\r\nfinancement, un local\n\n") == {
        "needs": ["trouver un mentor", "financement", "un local"]}


def test_the_box_shows_the_stored_list_as_one_line_separated_by_commas():
    form = ProfileForm(initial={"interests": ["vélo", "jazz", "ski de fond"]})
    assert ">\nvélo, jazz, ski de fond</textarea>" in str(form["interests"])  # a browser drops that first line break
