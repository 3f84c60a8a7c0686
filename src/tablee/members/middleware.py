from django.utils import translation


class PreferredLanguageMiddleware:
    """A signed-in member sees the interface in the language of their profile.

    Runs after LocaleMiddleware: an explicit choice (the language cookie) still wins, so the
    switcher works for everyone; otherwise the profile's language beats Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            profile = getattr(user, "profile", None)
            if profile is not None and profile.preferred_language:
                translation.activate(profile.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
