"""The attendees CSV of a gathering, for its organizers: the page and the API send the same file.

Written with ``tablee.csvsafe``: a name or an organization typed as a formula stays text, and the
file is in the requester's language (the active one): its headers and values, and the separator
their spreadsheet expects (``;`` in French, ``,`` in English), and its file name
(``participants-….csv``, ``attendees-….csv``).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tablee import csvsafe
from tablee.gatherings import selectors
from tablee.gatherings.models import Gathering


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("oui") if value else _("non")


def attendees_csv_response(*, gathering: Gathering) -> HttpResponse:
    day = timezone.localtime(gathering.starts_at).date().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = pgettext("file name", "participants-%(number)s-%(day)s.csv") % {"number": gathering.pk, "day": day}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    writer = csvsafe.spreadsheet(response, language=translation.get_language())
    writer.writerow([
        _("statut"), _("rang d'attente"), _("prénom"), _("nom"), _("courriel"), _("organisation"),
        _("secteur"), _("présent"), _("sans inscription"), _("date d'inscription"),
    ])  # fmt: skip
    for rsvp in selectors.attendees(gathering=gathering):
        if rsvp.user.is_guest:
            continue  # a guest let in by name only: on the check-in page and the plan, in no export
        profile = getattr(rsvp.user, "profile", None)
        writer.writerow([
            rsvp.get_status_display(),
            rsvp.waitlist_position or "",
            rsvp.user.get_full_name() if rsvp.user.is_ghost else rsvp.user.first_name,  # « Compte supprimé »
            rsvp.user.last_name,
            rsvp.user.address_shown,
            profile.organization if profile else "",
            profile.sector if profile else "",
            _yes_no(rsvp.present),
            _yes_no(rsvp.walk_in),
            date_format(timezone.localtime(rsvp.queued_at), "Y-m-d H:i"),
        ])  # fmt: skip
    return response
