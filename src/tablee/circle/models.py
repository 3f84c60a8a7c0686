"""A member's own circle: contacts, cards kept after an event, follow-ups, interactions, promises.

Everything here belongs to its ``owner`` alone. No organizer, admin list or export of anyone else
reads these rows; the selectors filter by owner and are the only way in.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tablee.gatherings.models import Gathering

CARD_BUDGET_DEFAULT = 3
CARD_BUDGET_MIN = 1
CARD_BUDGET_MAX = 5


class CircleSettings(models.Model):
    """A member's own preferences for cards and follow-ups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_settings")
    card_budget = models.PositiveSmallIntegerField(
        _("cartes gardées par événement"),
        default=CARD_BUDGET_DEFAULT,
        validators=[MinValueValidator(CARD_BUDGET_MIN), MaxValueValidator(CARD_BUDGET_MAX)],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(card_budget__gte=CARD_BUDGET_MIN, card_budget__lte=CARD_BUDGET_MAX),
                name="card_budget_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"circle settings of {self.user_id}"


class Contact(models.Model):
    """Someone in my circle: a member of Tablée (``user``) or a person outside it."""

    class Tier(models.TextChoices):
        CLOSE = "close", _("proches")
        CIRCLE = "circle", _("cercle")
        NETWORK = "network", _("réseau")
        NONE = "", _("sans cercle")

    class Language(models.TextChoices):
        UNKNOWN = "", _("inconnue")
        FR = "fr-ca", _("Français")
        EN = "en", _("English")

    class Source(models.TextChoices):
        MANUAL = "manual", _("ajouté à la main")
        CARD = "card", _("carte")
        IMPORT = "import", _("importé")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    # Set when the contact is a Tablée member; their own profile is never copied here.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("cellulaire"), max_length=50, blank=True)
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("fonction"), max_length=200, blank=True)
    pronunciation = models.CharField(_("prononciation du nom"), max_length=200, blank=True)
    # As imported, so an export gives the next tool what it was given: vCard N order (family, given,
    # additional, prefix, suffix), and the other addresses and numbers the source held.
    name_parts = models.JSONField(_("nom structuré"), default=list, blank=True)
    extra_emails = models.JSONField(_("autres courriels"), default=list, blank=True)
    extra_phones = models.JSONField(_("autres numéros"), default=list, blank=True)
    language = models.CharField(_("langue"), max_length=10, choices=Language.choices, blank=True, default="")
    tier = models.CharField(_("cercle"), max_length=10, choices=Tier.choices, blank=True, default="")
    trusted = models.BooleanField(_("lien de confiance"), default=False)
    # Keep-in-touch rhythm: green before ``ideal`` days without contact, yellow until ``max``, then red.
    rhythm_ideal_days = models.PositiveIntegerField(_("rythme idéal (jours)"), null=True, blank=True)
    rhythm_max_days = models.PositiveIntegerField(_("rythme maximal (jours)"), null=True, blank=True)
    last_interaction_at = models.DateTimeField(_("dernier contact"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    # Sentence vectors of what this contact is about (see circle/vectors.py): float32 rows, and the
    # digest of the texts they were computed from, so a stale row is recomputed, never trusted.
    vectors = models.BinaryField(null=True, blank=True, editable=False)
    vectors_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact")
        ordering = ["name", "pk"]
        # (owner, updated_at): the stamp of a member's cached share matrix reads its latest change cheaply.
        indexes = [models.Index(fields=["owner", "email"]), models.Index(fields=["owner", "tier"]),
                   models.Index(fields=["owner", "updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "user"], condition=models.Q(user__isnull=False), name="one_contact_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(rhythm_ideal_days__isnull=True)
                | models.Q(rhythm_max_days__isnull=True)
                | models.Q(rhythm_ideal_days__lte=models.F("rhythm_max_days")),
                name="rhythm_ideal_before_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The rule of the ``rhythm_ideal_before_max`` constraint, in the reader's words and on its field.
        ideal, maximum = self.rhythm_ideal_days, self.rhythm_max_days
        if ideal is not None and maximum is not None and ideal > maximum:
            raise ValidationError({"rhythm_max_days": gettext(
                "Le rythme maximal ne peut pas être plus court que le rythme idéal (%(ideal)s jours)."
            ) % {"ideal": ideal}})


class Card(models.Model):
    """One of the few people I chose to keep after a gathering or an outside event."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="cards")
    gathering = models.ForeignKey(Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # An event outside Tablée (a conference…): its name groups the cards for the budget.
    event_label = models.CharField(_("événement"), max_length=200, blank=True)
    # What a follow-up draft may cite, written for that; the note is for me alone, never reused.
    topic = models.CharField(_("sujet de la conversation"), max_length=200, blank=True)
    note = models.TextField(_("note pour moi"), blank=True)
    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("carte")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "gathering", "contact"],
                condition=models.Q(gathering__isnull=False),
                name="one_card_per_contact_per_gathering",
            ),
            models.UniqueConstraint(
                fields=["owner", "event_label", "contact"],
                condition=models.Q(gathering__isnull=True),
                name="one_card_per_contact_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"card #{self.pk}"


class FollowUp(models.Model):
    """A personal email to one contact, due a few days after a card (or a share from my journey)."""

    class Kind(models.TextChoices):
        FOLLOWUP = "followup", _("suivi")
        SHARE = "share", _("partage")

    class Status(models.TextChoices):
        PENDING = "pending", _("à faire")
        QUEUED = "queued", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        MAILTO = "mailto", _("ouvert dans mon logiciel de courriel")
        DISMISSED = "dismissed", _("abandonné")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="followups")
    card = models.OneToOneField(Card, null=True, blank=True, on_delete=models.SET_NULL, related_name="followup")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FOLLOWUP)
    due_on = models.DateField(_("à faire le"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    subject = models.CharField(_("objet"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    # The outbox row that carries it (key "followup:<id>"): one email per follow-up, ever.
    email = models.OneToOneField(
        "outbox.Email", null=True, blank=True, on_delete=models.SET_NULL, related_name="followup"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # When « Laisser tomber » was confirmed: « Annuler » puts it back to do for
    # ``DeletedContact.UNDO_MINUTES`` (the circle's one undo window).
    dismissed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suivi")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return f"follow-up #{self.pk} ({self.status})"

    @property
    def outbox_key(self) -> str:
        return f"followup:{self.pk}"


class Interaction(models.Model):
    """Something that happened with a contact; any interaction resets the keep-in-touch rhythm."""

    class Kind(models.TextChoices):
        GATHERING = "gathering", _("rencontré à une rencontre")
        EMAIL = "email", _("courriel")
        COFFEE = "coffee", _("café")
        CALL = "call", _("appel")
        OTHER = "other", _("autre")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    happened_at = models.DateTimeField(_("quand"), default=timezone.now)
    summary = models.CharField(_("résumé"), max_length=500, blank=True)
    gathering = models.ForeignKey(Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    followup = models.OneToOneField(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="interaction"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interaction")
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["owner", "contact", "happened_at"])]

    def __str__(self) -> str:
        return f"interaction #{self.pk} ({self.kind})"


class Note(models.Model):
    """A private note about a contact, in Markdown; rendered sanitised."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_notes")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=10000)
    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the owner edits the text (None: never edited); the circle matrix's stamp reads it.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"note #{self.pk}"


class Promise(models.Model):
    """"I'll send you the report": something I promised a contact, kept or not."""

    class Status(models.TextChoices):
        OPEN = "open", _("à tenir")
        KEPT = "kept", _("tenue")
        DROPPED = "dropped", _("abandonnée")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="promises")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="promises")
    text = models.CharField(_("promesse"), max_length=500)
    due_on = models.DateField(_("pour le"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promesse")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"promise #{self.pk} ({self.status})"


class ContinueWish(models.Model):
    """After a gathering, "I'd like to continue with X": private until it is mutual."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="continue_wishes")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="+")
    # Set on both rows when the other person said the same: only then is either revealed.
    mutual_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "target", "gathering"], name="one_continue_wish"),
            models.CheckConstraint(condition=~models.Q(author=models.F("target")), name="continue_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"continue wish #{self.pk}"


class Suggestion(models.Model):
    """A paced nudge ("write to X"): at most a few a week, one a day."""

    class Reason(models.TextChoices):
        RHYTHM = "rhythm", _("rythme dépassé")
        DORMANT = "dormant", _("lien dormant")
        PROMISE = "promise", _("promesse à tenir")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    day = models.DateField()
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="one_suggestion_per_day")]

    def __str__(self) -> str:
        return f"suggestion #{self.pk}"



class DeletedContact(models.Model):
    """A contact just deleted, with everything it carried, kept ``UNDO_MINUTES`` so that « Annuler »
    brings it back whole (same ids); the worker purges it after that. Private to its owner.
    A deleted note waits here the same way (``kind`` "note", ``contact_id`` the contact it was about)."""

    UNDO_MINUTES = 10

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        NOTE = "note", _("note")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CONTACT)
    # For a note: its contact (a plain id: the contact may be deleted meanwhile, and then come back).
    contact_id = models.IntegerField(null=True, blank=True)
    name = models.CharField(max_length=200)
    # Django's JSON serialization of the contact, then the rows that were deleted with it.
    payload = models.TextField()
    deleted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-deleted_at", "-pk"]

    def __str__(self) -> str:
        return f"deleted contact #{self.pk}"
