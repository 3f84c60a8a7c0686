"""A password change revokes the person's API tokens, whatever path changed it.

Django calls ``password_changed()`` on every configured password validator after a user with a
new password is saved (reset, account page, admin, ``changepassword``), so this hook sits in
``AUTH_PASSWORD_VALIDATORS``. Creating an account does not revoke anything: it has no tokens yet.
Django's silent hash upgrade at sign-in does not call it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class RevokeApiTokensOnPasswordChange:
    def validate(self, password: str, user=None) -> None:
        return None

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from tablee.members.services import api_token_revoke

        api_token_revoke(user=user)

    def get_help_text(self) -> str:
        return _("Un nouveau mot de passe révoque tous vos jetons d'accès à l'API.")
