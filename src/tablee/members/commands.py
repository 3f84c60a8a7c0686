"""Handlers for `tablee association …`, `tablee members …` and `tablee token …`.

Each returns the exit code. A user error raises ``tablee.errors.CommandError`` (one line on stderr,
exit 1); the import prints its own list of bad rows and returns 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tablee.errors import CommandError
from tablee.members import services
from tablee.members.csv_import import created_phrase, updated_phrase
from tablee.members.models import Association
from tablee.members.selectors import user_by_email

# Above this many bytes the import shows a progress bar on stderr.
_PROGRESS_FROM_BYTES = 200_000


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in exc.message_dict.items()
            for message in messages
        )
    return " ".join(exc.messages)


def _association(slug: str) -> Association:
    association = Association.objects.filter(slug=slug).first()
    if association is None:
        raise CommandError(_("aucune association « %(slug)s »") % {"slug": slug})
    return association


def association_create(*, slug: str, name: str, out: TextIO) -> int:
    if Association.objects.filter(slug=slug.strip()).exists():
        raise CommandError(_("l'association « %(slug)s » existe déjà") % {"slug": slug})
    try:
        association = services.association_create(slug=slug, name=name)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from None
    out.write(
        _("Association « %(name)s » créée (identifiant : %(slug)s).\n")
        % {"name": association.name, "slug": association.slug}
    )
    return 0


def members_import(*, slug: str, path: str, out: TextIO, err: TextIO, invite: bool = False,
                   overwrite: bool = False) -> int:
    association = _association(slug)
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CommandError(
            _("impossible de lire %(path)s : %(reason)s") % {"path": path, "reason": exc.strerror}
        ) from None

    if len(data) >= _PROGRESS_FROM_BYTES:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(file=err), transient=True) as bar:
            task = bar.add_task(_("Importation"), total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = services.members_import(association=association, data=data, progress=progress,
                                             overwrite=overwrite)
    else:
        result = services.members_import(association=association, data=data, overwrite=overwrite)

    for line, reason in result.warnings:
        err.write(_("  ligne %(line)d (avertissement) : %(reason)s\n") % {"line": line, "reason": reason})
    if result.errors:
        err.write(
            ngettext("%(path)s : %(count)d ligne à corriger; rien n'a été importé.\n",
                     "%(path)s : %(count)d lignes à corriger; rien n'a été importé.\n", len(result.errors))
            % {"path": path, "count": len(result.errors)}
        )
        for line, reason in result.errors:
            err.write(_("  ligne %(line)d : %(reason)s\n") % {"line": line, "reason": reason})
        return 1
    out.write(
        _("%(association)s : %(created)s, %(updated)s (dont %(joined)s).\n")
        % {
            "association": association.name,
            "created": created_phrase(result.created),
            "updated": updated_phrase(result.updated),
            "joined": ngettext("%(count)d ajouté à l'association", "%(count)d ajoutés à l'association",
                               result.joined) % {"count": result.joined},
        }
    )
    if invite:
        from tablee.members.invitations import invitations_send, never_signed_in

        pending = set(never_signed_in(association=association).values_list("email", flat=True))
        sent = invitations_send(association=association, emails=[e for e in result.emails if e in pending])
        out.write(_invited(sent.queued, sent.declined))
    return 0


def _invited(queued: int, declined: int = 0) -> str:
    from tablee.members.invitations import declined_phrase

    return (ngettext("%(count)d invitation mise en file d'envoi.\n",
                     "%(count)d invitations mises en file d'envoi.\n", queued) % {"count": queued}
            + (declined_phrase(declined) + "\n" if declined else ""))


def members_invite(*, slug: str, emails: list[str], out: TextIO) -> int:
    """(Re)invite the named members, or every member who has never signed in."""
    from tablee.members.invitations import invitations_send

    association = _association(slug)
    sent = invitations_send(association=association, emails=emails or None)
    if sent.unknown:
        raise CommandError(
            _("pas membre actif de « %(association)s » : %(emails)s; aucune invitation envoyée")
            % {"association": association.slug, "emails": ", ".join(sent.unknown)}
        )
    out.write(_invited(sent.queued, sent.declined))
    return 0


def members_promote(*, slug: str, email: str, role: str, out: TextIO) -> int:
    association = _association(slug)
    user = user_by_email(email=email)
    if user is None:
        raise CommandError(_("aucun compte avec le courriel %(email)s") % {"email": email})
    try:
        membership = services.membership_set_role(association=association, user=user, role=role)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from None
    out.write(
        _("%(email)s est maintenant %(role)s de « %(association)s ».\n")
        % {"email": user.email, "role": membership.get_role_display(), "association": association.name}
    )
    return 0


def token_create(*, emails: list[str], out: TextIO) -> int:
    users = [(email, user_by_email(email=email)) for email in emails]
    unknown = [email for email, user in users if user is None]
    if unknown:
        raise CommandError(
            _("aucun compte pour : %(emails)s; aucun jeton créé")
            % {"emails": ", ".join(unknown)}
        )
    unique = list({user.pk: user for _email, user in users}.values())
    with transaction.atomic():
        lines = [f"{user.email},{services.token_create(user=user, label='cli')}" for user in unique]
    out.write("\n".join(lines) + "\n")
    return 0


def token_revoke(*, email: str, token_id: int | None, out: TextIO) -> int:
    user = user_by_email(email=email)
    if user is None:
        raise CommandError(_("aucun compte pour : %(email)s") % {"email": email})
    count = services.api_token_revoke(user=user, token_id=token_id)
    if token_id is not None and count == 0:
        raise CommandError(
            _("%(email)s n'a pas de jeton actif numéro %(id)s") % {"email": email, "id": token_id}
        )
    out.write(ngettext("%(count)d jeton révoqué pour %(email)s", "%(count)d jetons révoqués pour %(email)s", count)
              % {"count": count, "email": user.email} + "\n")
    return 0
