"""Sign-in backend: Django's, but the person comes with their profile in the same query.

Every signed-in request loads the user; ``PreferredLanguageMiddleware`` and most pages then read
the profile. One query instead of two on every page.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from tablee.members.models import User
from tablee.prepared import Prepared

_USER = Prepared(lambda user_id: User._default_manager.select_related("profile").filter(pk=user_id)[:1],
                 user_id=int)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = next(iter(_USER(user_id=pk)), None)
        return user if user is not None and self.user_can_authenticate(user) else None
