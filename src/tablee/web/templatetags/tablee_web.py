from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
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


@register.filter
def joined(values) -> str:
    """A profile list shown as the person types it: "a, b, c"."""
    return ", ".join(values or [])

