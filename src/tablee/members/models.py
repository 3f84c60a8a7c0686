import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


# A guest let in at the door with a name only (`members.services.guest_create`) gets an inactive
# account at an address of this reserved domain (RFC 2606: `.invalid` is never delivered): it holds
# their seat at the tables, never signs in, belongs to no association and is never emailed.
GUEST_EMAIL_DOMAIN = "guest.invalid"

# What is left of a deleted account (`members.erasure`): an inactive account at an address of this
# reserved domain holds past attendance and past seats, with no name and no address of the person.
GHOST_EMAIL_DOMAIN = "deleted.invalid"


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an email address; the profile holds what the tables need."""

    email = models.EmailField(_("courriel"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = pgettext_lazy("model name", "personne")
        verbose_name_plural = _("personnes")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def set_password(self, raw_password: str | None) -> None:
        # Whether this replaces a password the person could sign in with: not a first password (the
        # welcome page, an account that had none), not an account being created. Read once saved by
        # ``passwords.PasswordChangeHooks``, whatever path set it (a page, the admin, a command).
        self._replaces_password = self.pk is not None and self.has_usable_password()
        super().set_password(raw_password)

    def get_full_name(self) -> str:
        if self.is_ghost:
            return gettext("Compte supprimé")  # never the ghost's made-up address
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_guest(self) -> bool:
        """A guest of one gathering, with a name and no account (see ``GUEST_EMAIL_DOMAIN``)."""
        return self.email.endswith("@" + GUEST_EMAIL_DOMAIN)

    @property
    def is_ghost(self) -> bool:
        """What is left of a deleted account (see ``GHOST_EMAIL_DOMAIN``): shown as « Compte supprimé »."""
        return self.email.endswith("@" + GHOST_EMAIL_DOMAIN)

    @property
    def address_shown(self) -> str:
        """The address an organizer may read: none for a guest (it is nobody's) or a deleted account."""
        return "" if self.is_guest or self.is_ghost else self.email


class Association(models.Model):
    """A chapter that gathers its members around small tables."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Self-signup: anyone may ask to join (« Demander à joindre »); an organizer approves.
    open_to_requests = models.BooleanField(_("accepte les demandes d'adhésion"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("association")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActiveMemberships(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deactivated_at__isnull=True)


class Membership(models.Model):
    """A person's place in an association. ``objects`` holds the active ones only (a deactivated
    member has no access anywhere); ``all_objects`` also holds the deactivated ones."""

    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        ORGANIZER = "organizer", _("équipe d'organisation")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    # An organizer deactivated this member: kept for the record, gives no access.
    deactivated_at = models.DateTimeField(null=True, blank=True)

    all_objects = models.Manager()
    objects = ActiveMemberships()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        constraints = [models.UniqueConstraint(fields=["association", "user"], name="one_membership_per_association")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.association} ({self.role})"


class Profile(models.Model):
    class Visibility(models.TextChoices):
        NOBODY = "nobody", _("personne")
        MEMBERS = "members", _("les membres de mes associations")

    class Language(models.TextChoices):
        FR = "fr-ca", _("Français")
        EN = "en", _("English")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("secteur"), max_length=100, blank=True)
    # Spoken languages as short codes ("fr", "en", "es"…), used by the table engine.
    languages = models.JSONField(_("langues parlées"), default=list, blank=True)
    offers = models.JSONField(_("ce que j'offre"), default=list, blank=True)
    needs = models.JSONField(_("ce que je cherche"), default=list, blank=True)
    interests = models.JSONField(_("intérêts"), default=list, blank=True)
    bio = models.TextField(_("courte présentation"), max_length=600, blank=True)
    preferred_language = models.CharField(
        _("langue de l'interface"), max_length=10, choices=Language.choices, default=Language.FR
    )
    directory_visibility = models.CharField(
        _("visibilité dans le répertoire"), max_length=20, choices=Visibility.choices, default=Visibility.NOBODY
    )
    # Law 25: consent to appear in the directory is explicit and dated; None means never given.
    directory_consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    # Law 25 again: table-mates see my organization, offers and needs only with this consent.
    tablemates_consent_at = models.DateTimeField(_("consentement (voisins de table) donné le"), null=True, blank=True)
    # The first-visit page was completed (name, languages, consents confirmed).
    first_visit_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_raw(self, raw: str):
        return self.filter(key_hash=_hash_token(raw), revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"token {self.label or self.pk} of {self.user_id}"

    @staticmethod
    def new_raw() -> str:
        return "tbl_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class LoginLinkQuerySet(models.QuerySet):
    def for_raw(self, raw: str):
        return self.filter(key_hash=_hash_token(raw))


class LoginLink(models.Model):
    """A one-time link that signs a person in: an invitation, a sign-in link, an activation, an
    email change. Only the hash of the secret is stored; ``used_at`` makes it work once."""

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        SIGN_IN = "sign_in", _("lien de connexion")
        ACTIVATION = "activation", _("activation")
        EMAIL_CHANGE = "email_change", _("changement de courriel")
        # Sent to the old address after a change: puts it back and closes every session.
        EMAIL_REVERT = "email_revert", _("retour à l'ancien courriel")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # For an email change: the address to confirm (the link is sent there); for a revert: the old
    # address to put back.
    new_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = LoginLinkQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.user_id}"

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class JoinRequest(models.Model):
    """Someone asked to join an association; an organizer approves (which invites them) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("acceptée")
        DECLINED = "declined", _("refusée")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="join_requests")
    email = models.EmailField(_("courriel"))
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=600, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "email"], condition=models.Q(status="pending"),
                                    name="one_pending_request_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.association} ({self.status})"
