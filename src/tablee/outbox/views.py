"""The one-click way back: GET shows a button (mail scanners open links), POST unsubscribes, and
the page that says so can take it back.

RFC 8058: a mail client POSTs ``List-Unsubscribe=One-Click`` to the URL of the
``List-Unsubscribe`` header without cookies or CSRF token; the signed URL is the authorisation.
A link that does not read (cut, altered) changes nothing and leads to the preferences page.
The page speaks the recipient's language (their profile's), not the browser's, unless the visitor
chose one on the site (the language switch's cookie).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tablee.outbox.models import Topic
from tablee.outbox.services import optout_set
from tablee.outbox.wayback import (
    recipient_has_account,
    recipient_language,
    scope_describe,
    unsubscribe_read,
)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    read = unsubscribe_read(token)
    if read is None:
        # A link cut or altered on its way (a mail client wrapping a long line, a copy-paste): nothing
        # is changed, and the page says how to choose one's emails anyway. 404 as for any unknown link.
        return render(request, "outbox/pages/unsubscribe_invalid.html", status=404)
    address, topic, scope = read
    _speak_the_recipients_language(request, address)
    context = {"topic": topic, "topic_label": Topic(topic).label, "personal": topic == Topic.PERSONAL,
               "invitation": topic == Topic.INVITATIONS, "scope_name": scope_describe(topic=topic, scope=scope),
               # The preferences page is behind a sign-in: offered only to an address with an account.
               "has_account": recipient_has_account(address)}
    if request.method == "POST":
        # The page after unsubscribing offers to take it back (a click by mistake); a mail client's
        # one-click POST never carries ``undo``.
        undo = request.POST.get("undo") == "1"
        optout_set(address=address, topic=topic, scope=scope, refuse=not undo)
        return render(request, "outbox/pages/resubscribed.html" if undo else "outbox/pages/unsubscribed.html",
                      context)
    return render(request, "outbox/pages/unsubscribe.html", context)


def _speak_the_recipients_language(request: HttpRequest, address: str) -> None:
    """The language of the person the email went to, for this response (LocaleMiddleware reads
    ``request.LANGUAGE_CODE`` for its Content-Language header)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    language = recipient_language(address)
    if language and translation.check_for_language(language):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
