"""The one-click way back: GET shows a button (mail scanners open links), POST unsubscribes.

RFC 8058: a mail client POSTs ``List-Unsubscribe=One-Click`` to the URL of the
``List-Unsubscribe`` header without cookies or CSRF token; the signed URL is the authorisation.
A link that does not read (cut, altered) changes nothing and leads to the preferences page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tablee.outbox.models import Topic
from tablee.outbox.services import optout_set
from tablee.outbox.wayback import unsubscribe_read


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    read = unsubscribe_read(token)
    if read is None:
        # A link cut or altered on its way (a mail client wrapping a long line, a copy-paste): nothing
        # is changed, and the page says how to choose one's emails anyway. 404 as for any unknown link.
        return render(request, "outbox/pages/unsubscribe_invalid.html", status=404)
    address, topic = read
    context = {"topic": topic, "topic_label": Topic(topic).label, "personal": topic == Topic.PERSONAL}
    if request.method == "POST":
        optout_set(address=address, topic=topic, refuse=True)
        return render(request, "outbox/pages/unsubscribed.html", context)
    return render(request, "outbox/pages/unsubscribe.html", context)
