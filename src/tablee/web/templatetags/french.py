"""French grammar in templates, loaded in every template (``TEMPLATES`` builtins in settings)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tablee.text import french

register = template.Library()


@register.filter(is_safe=True)
def elide(text):
    """In French, « de » elided before a vowel in a sentence where a name was dropped:
    ``{% blocktranslate … asvar team %}L'équipe de {{ association }}{% endblocktranslate %}{{ team|elide }}``
    → « L'équipe d'Entreprendre Québec ». Other languages are left as they are."""
    out = french.elide(str(text), get_language() or "fr")
    return mark_safe(out) if isinstance(text, SafeString) else out  # noqa: S308 — the input was safe already


@register.filter
def with_article(name):
    """In French, an organization's name with its article (« le Réseau des gens d'affaires »), for a
    sentence that opens with it: ``{{ association.name|with_article|capfirst }}``. Other languages:
    the name as it is."""
    language = get_language() or "fr"
    return french.the(str(name)) if language.startswith("fr") else name


@register.filter(is_safe=True)
def frdate(text):
    """In French, a formatted date and time as Québec writes it: ``{{ day|date:"MONTH_DAY_FORMAT"|frdate }}`` →
    « 1er septembre »; « 12 h 00 » → « 12 h ». Other languages are left as they are."""
    out = french.dates_in(get_language(), str(text))
    return mark_safe(out) if isinstance(text, SafeString) else out  # noqa: S308 — the input was safe already
