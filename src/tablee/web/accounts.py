"""Sign-in and password reset: Django's auth views, with the reset email going through the outbox."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tablee.members.account_forms import NewPasswordForm
from tablee.throttle import Throttled, throttle_hit


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Courriel"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("Ce courriel et ce mot de passe ne correspondent à aucun compte actif. "
                           "Vérifiez-les, ou choisissez un nouveau mot de passe."),
        "inactive": _("Ce compte est désactivé."),
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Stores the reset email in the outbox; the worker sends it, never the request."""

    email = forms.EmailField(label=_("Courriel"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        """Every active account with this address, including those that never had a password:
        Django's form skips them, so « Mot de passe oublié » sent them nothing."""
        from tablee.members.selectors import user_by_email

        user = user_by_email(email=email)
        return [user] if user is not None and user.is_active else []

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from tablee.outbox.rendering import email_render_queue

        user = context["user"]
        if not user.has_usable_password():
            from tablee.members.invitations import activation_send

            activation_send(user=user)  # a one-time link; the first-visit page offers a password
            return
        profile = getattr(user, "profile", None)
        language = getattr(profile, "preferred_language", None) or translation.get_language()
        email_render_queue(
            # One row per token: asking twice in the same second does not queue the same email twice.
            key=f"password-reset:{user.pk}:{context['token']}",
            kind="password_reset",
            to=to_email,
            user=user,
            # PasswordResetView names its templates: registration/password_reset_email.txt and .html.
            template=email_template_name.removesuffix(".txt"),
            subject_template=subject_template_name,
            language=language,
            # The email says how long its link works (Django's PASSWORD_RESET_TIMEOUT, in whole days).
            context={**context, "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400)},
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The new password from a reset link: a refused password is said under the field it was typed
    in. The account's address is told the password changed when it replaced one
    (``members.passwords.PasswordChangeHooks``, as on every path)."""

    form_class = NewPasswordForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from tablee.members.selectors import associations_open_to_requests

        # The link to the open associations only when there is one: never a path to an empty list.
        return {**super().get_context_data(**kwargs), "join_open": associations_open_to_requests().exists()}


# One reset email per address per 5 minutes, whether or not the address has an account (the
# answer must not tell). ``throttle_hit`` is the same helper the email-link sign-in uses.
RESET_WINDOW_SECONDS = 5 * 60


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        try:
            throttle_hit(
                key=f"password-reset:{address}",
                limit=1,
                window=RESET_WINDOW_SECONDS,
                message=_("Un courriel vient d'être demandé pour cette adresse. Vérifiez votre boîte "
                          "(et les indésirables), ou réessayez dans quelques minutes."),
            )
        except Throttled as exc:
            form.add_error("email", exc.message)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(exc.retry_after)
            return response
        # Links in emails use the configured public address, not the Host header of this request.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)
