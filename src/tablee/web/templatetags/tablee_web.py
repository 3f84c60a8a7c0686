from django import template

from tablee.members.access import organized_by

register = template.Library()


@register.simple_tag
def organized_associations(user) -> list:
    """The associations the person organizes, for the navigation."""
    return list(organized_by(user).order_by("name"))


@register.filter
def joined(values) -> str:
    """A profile list shown as the person types it: "a, b, c"."""
    return ", ".join(values or [])

