from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from tablee.members.selectors import organized_names

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    """The signed-in navigation links (web/_nav.html).

    They depend on nothing but the language, the path and the associations the person organizes,
    so the rendered HTML is kept per process for those three: the template engine would otherwise
    spend about a third of a small page's rendering on ten links (bench/profile_requests.py)."""
    request = context["request"]
    user = request.user
    organized = tuple(organized_names(user=user)) if user.is_authenticated else ()
    render = _render_nav.__wrapped__ if settings.DEBUG else _render_nav  # templates edited live in development
    return render(translation.get_language(), request.path, organized)


@lru_cache(maxsize=512)
def _render_nav(language: str, path: str, organized: tuple[tuple[str, str], ...]) -> SafeString:
    with translation.override(language):
        html = render_to_string("web/_nav.html", {
            "path": path, "organized": [{"slug": slug, "name": name} for slug, name in organized],
        })
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)


@register.simple_tag
def pure_include(template_name: str, **values) -> SafeString:
    """Renders a template that reads only the values named here (no request, no other context).

    The HTML for the same values, language and time zone is kept per process, so a list of twenty
    cards costs one rendering per distinct card, not twenty (bench/profile_requests.py). The values
    are the whole key: they must be hashable (text, numbers, dates, None), or this raises."""
    render = _render_pure.__wrapped__ if settings.DEBUG else _render_pure
    return render(template_name, translation.get_language(), timezone.get_current_timezone_name(),
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
    return staticfiles_storage.url(path) if settings.DEBUG else _asset_url(path)


@lru_cache(maxsize=64)
def _asset_url(path: str) -> str:
    return staticfiles_storage.url(path)


@register.filter
def joined(values) -> str:
    """A profile list shown as the person types it: "a, b, c"."""
    return ", ".join(values or [])

