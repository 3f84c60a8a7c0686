"""What follows a new password, whatever path set it: the person's API tokens are revoked, and when
it replaces a password they could sign in with, their address is told.

Django calls ``password_changed()`` on every configured password validator after a user with a
new password is saved (reset, account page, welcome page, admin, ``changepassword``), so this hook
sits in ``AUTH_PASSWORD_VALIDATORS``: the one place both happen. Creating an account does neither:
it has no tokens yet, and no password was replaced. Django's silent hash upgrade at sign-in does not
call it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class PasswordChangeHooks:
    def validate(self, password: str, user=None) -> None:
        return None

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from tablee.members.invitations import password_changed_notice
        from tablee.members.services import api_token_revoke

        api_token_revoke(user=user)
        # « Le mot de passe de votre compte Tablée a changé »: for a reset, « Mon compte », the admin,
        # ``manage.py changepassword``; never for a first password (the welcome page, an account
        # that had none). ``User.set_password`` notes which; queued in the outbox, a few an hour.
        if getattr(user, "_replaces_password", False):
            user._replaces_password = False
            password_changed_notice(user=user)

    def get_help_text(self) -> str:
        return _("Un nouveau mot de passe révoque tous vos jetons d'accès à l'API.")
