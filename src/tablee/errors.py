"""Errors shared by every room, and the one place that maps a service's refusal onto a form.

This module sits at the ground: it imports nothing from Tablée, so any room may use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django import forms
    from django.core.exceptions import ValidationError


class CommandError(Exception):
    """A user error in a `tablee` command: one clear line on stderr, exit code 1, never a traceback."""


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
