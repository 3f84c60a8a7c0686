from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe

from tablee.members.selectors import organized_names

register = template.Library()


def _kept(render):
    """A function kept per process (lru_cache), or the function itself in development, where
    templates and static files change while the server runs."""
    return render.__wrapped__ if settings.DEBUG else render


# Stands for the CSRF token in the kept header; each response puts its own token in its place.
_TOKEN_MARK = "csrf-token-mark-4c1e9f"


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """The site's header (web/_header.html): brand, navigation, sign-out, language switch.

    It depends on nothing but the language, the path (full and without the query), whether the
    person is signed in and the associations they organize, so the rendered HTML is kept per
    process for those: ten links, two forms and the languages cost a small page about a third of
    its rendering otherwise (bench/profile_requests.py). The CSRF token is this request's own."""
    request = context["request"]
    user = request.user
    signed_in = bool(user.is_authenticated)
    organized = tuple(organized_names(user=user)) if signed_in else ()
    html = _kept(_render_header)(translation.get_language(), request.path, _page_to_return_to(request), signed_in,
                                 organized)
    # The page's own token (one masking per response, as {% csrf_token %} would give).
    token = str(context.get("csrf_token") or get_token(request))
    return mark_safe(html.replace(_TOKEN_MARK, token))  # noqa: S308 (the token is URL-safe)


def _page_to_return_to(request) -> str:
    """Where the language switch comes back to: this page, or, for a page shown in answer to a form
    (its errors), the page that held the form; its address only receives forms."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


@lru_cache(maxsize=1024)
def _render_header(language: str, path: str, full_path: str, signed_in: bool,
                   organized: tuple[tuple[str, str], ...]) -> str:
    with translation.override(language):
        return render_to_string("web/_header.html", {
            "path": path, "full_path": full_path, "signed_in": signed_in, "csrf_token": _TOKEN_MARK,
            "organized": [{"slug": slug, "name": name} for slug, name in organized],
        })


@register.simple_tag
def pure_include(template_name: str, **values) -> SafeString:
    """Renders a template that reads only the values named here (no request, no other context).

    The HTML for the same values, language and time zone is kept per process, so a list of twenty
    cards costs one rendering per distinct card, not twenty (bench/profile_requests.py). The values
    are the whole key: they must be hashable (text, numbers, dates, None), or this raises."""
    return _kept(_render_pure)(template_name, translation.get_language(), timezone.get_current_timezone_name(),
                  tuple(sorted(values.items())))


@lru_cache(maxsize=4096)
def _render_pure(template_name: str, language: str, zone: str, items: tuple) -> SafeString:
    with translation.override(language), timezone.override(zone):
        html = render_to_string(template_name, dict(items))
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)


@register.simple_tag
def asset(path: str) -> str:
    """``{% static %}`` for a file of the site's own: its hashed URL never changes while the
    process runs, so it is looked up once (``{% static %}`` costs about 0.07 ms a call)."""
    return _kept(_asset_url)(path)


@lru_cache(maxsize=64)
def _asset_url(path: str) -> str:
    return staticfiles_storage.url(path)


@register.filter
def email_breaks(address) -> SafeString:
    """An email address, escaped, that a narrow line may break only after its « @ » or before a
    « . » (``<wbr>``): « marie.tremblay@ / demo.tablee.ca », never « demo.tablee.c / a ». Used with
    ``table.stack td.address`` (tablee.css), where an address that fits a line goes whole to the next."""
    return mark_safe(escape(address).replace("@", "@<wbr>").replace(".", "<wbr>."))  # noqa: S308 — escaped


@register.filter
def joined(values) -> str:
    """A profile list shown as the person types it: "a, b, c"."""
    return ", ".join(values or [])

