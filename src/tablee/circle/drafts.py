"""The draft of a personal follow-up, in the contact's language, in one of three tones.

A short template greets the contact by first name, cites the topic of our conversation, the promise
if there is one, and the gathering. The topic is the card's « sujet de la conversation », the field
written to be reused here (turned from "his project" into "your project"); the card's note is mine
alone and never reaches a draft, however short or topic-like it reads. URLs and fragments that do
not read as a topic are left out; without a clear topic the draft simply thanks for the exchange.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext as _

from tablee.circle.models import Contact, FollowUp, Promise
from tablee.text import french

TONES = ("warm", "brief", "formal")
DEFAULT_TONE = "warm"
MAX_TOPIC_WORDS = 9

_URL = re.compile(r"(https?://\S+|www\.\S+|\S+\.(?:com|org|net|ca|qc\.ca|io)\S*)", re.IGNORECASE)
# A possessive that opens a topic, and the same possessive addressed to the contact (tu / vous / you).
_POSSESSIVES = {
    "fr": {"son": ("ton", "votre"), "sa": ("ta", "votre"), "ses": ("tes", "vos"), "leur": ("ton", "votre"),
           "leurs": ("tes", "vos")},
    "en": {"his": ("your", "your"), "her": ("your", "your"), "their": ("your", "your")},
}
_STARTS = re.compile(r"\b(son|sa|ses|leur|leurs|his|her|their)\s+", re.IGNORECASE)
# A note that starts like a sentence about the person, not like a topic: « A parlé de… », "Wants to…".
_VERB_START = re.compile(
    r"^(a|as|est|veut|voudrait|cherche|travaille|parle|aime|prépare|prepare|organise|il|elle|iel|on|nous|"
    r"je|j|voir|lire|see|read|wants?|is|was|has|had|works?|talked|told|said|likes?|he|she|they|we|i)\b",
    re.IGNORECASE)
# Within a short note, what a conversation was about: « Julie parle de financement », "talked about
# export" give the phrase after it; another verb inside makes it a sentence, never pasted as a topic.
_ABOUT = re.compile(
    r"\b(?:parl\w*|discut\w*|jas\w*|(?:à|au) (?:propos|sujet)|talk\w*|spoke|chat\w*)\s+"
    r"(?:(?:de la|de l'|de l’|des|du|de|d'|d’)\s*|about\s+|of\s+|sur\s+|on\s+)?(.+)$",
    re.IGNORECASE)
_ARTICLE_AFTER_DE = {"de la": "la ", "de l'": "l'", "de l’": "l’", "des": "les ", "du": "le "}
_SENTENCE_VERB = re.compile(
    r"\b(?:veut|voudrait|cherche|travaille|prépare|organise|aime|pense|dit|disait|wants?|works?|likes?|"
    r"thinks?|said|says|told|needs?|besoin)\b", re.IGNORECASE)
_FRENCH = re.compile(r"[àâçéèêëîïôûùü]|\b(le|la|les|l|de|des|du|pour|avec|sur|un|une|et|au|aux|d)\b", re.IGNORECASE)


def _language_of(phrase: str) -> str:
    return "fr" if _FRENCH.search(phrase.replace("'", " ").replace("’", " ")) else "en"


def _cited(phrase: str, language: str) -> str:
    """A phrase in the contact's language reads as is; in the other one it is quoted."""
    if not phrase or _language_of(phrase) == language:
        return phrase
    return f"«\u00a0{phrase}\u00a0»" if language == "fr" else f"“{phrase}”"


def contact_language(contact: Contact) -> str:
    """The language of everything a personal email to ``contact`` says (subject, draft, footer): the
    one written on the contact, else the member's own, else French."""
    if contact.language:
        return contact.language
    profile = getattr(contact.user, "profile", None) if contact.user_id else None
    return (profile.preferred_language if profile else "") or "fr-ca"


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def first_name(contact: Contact) -> str:
    """How to greet a contact: the member's first name, else the given name in the contact's name.

    Family-name-first names (« Nguyễn Thị Hoa ») are recognised by the given name that the email
    also carries (hoa.nguyen@…), or by a Vietnamese middle name (Thị, Văn); "Last, First" too."""
    if contact.user_id and contact.user.first_name:
        return contact.user.first_name
    name = " ".join(contact.name.split())
    if "," in name:
        after = name.split(",", 1)[1].strip()
        if after:
            return after.split()[0]
    words = name.split()
    if not words:
        return name
    local = _plain(contact.email.split("@")[0]) if contact.email else ""
    parts = [p for p in re.split(r"[._\-+]", local) if p]
    if len(words) > 1 and parts:
        for word in words:
            if _plain(word) == parts[0]:
                return word
    if len(words) >= 3 and _plain(words[1]) in {"thi", "van"}:
        return words[-1]
    return words[0]


def topic_of(note: str, *, language: str, polite: bool) -> str:
    """A short phrase for « notre conversation sur … », or "" when the note does not hold one.

    ``language``: the contact's ("fr" or "en"); a possessive is turned towards the contact only when
    the note is in that language, otherwise the phrase is cited without it."""
    text = _URL.sub(" ", note or "")
    text = " ".join(re.sub(r"[*_`#>\[\]]", " ", text).split())
    first = re.split(r"[.;!?\n]|\s[-–—]\s|,\s", text.strip(), maxsplit=1)[0].strip()
    if not first:
        return ""
    found = _STARTS.search(first)
    if found:
        possessive = found.group(1).casefold()
        rest = first[found.end():].split()
        if not rest:
            return ""
        note_language = "fr" if possessive in _POSSESSIVES["fr"] else "en"
        rest = rest[:MAX_TOPIC_WORDS]
        if note_language == language:
            mine = _POSSESSIVES[language][possessive][1 if polite else 0]
            return " ".join([mine, *rest])
        return _cited(" ".join(rest), language)
    about = _ABOUT.search(first)
    if about:
        said = first[about.start():about.start(1)].casefold().split()
        article = next((a for key, a in _ARTICLE_AFTER_DE.items() if " ".join(said[-len(key.split()):]) == key), "")
        if re.match(r"(rien|nothing|anything|tout et de rien)\b", about.group(1), re.IGNORECASE):
            return ""
        return topic_of(article + about.group(1), language=language, polite=polite)
    if _VERB_START.match(first) or _SENTENCE_VERB.search(first) or len(first.split()) > MAX_TOPIC_WORDS:
        return ""
    return _cited(first, language)


def _clean(text: str) -> str:
    return " ".join(_URL.sub(" ", text).split()).rstrip(".")


def followup_draft(followup: FollowUp, tone: str = DEFAULT_TONE) -> tuple[str, str]:
    """Subject and body of a first draft: greeting by first name, the topic, the promise, the event."""
    tone = tone if tone in TONES else DEFAULT_TONE
    contact = followup.contact
    owner = followup.owner
    card = followup.card
    promises = getattr(contact, "open_promises", None)  # prefetched by selectors.followups_queue
    if promises is None:
        promises = list(Promise.objects.filter(owner_id=owner.pk, contact_id=contact.pk, status=Promise.Status.OPEN))
    event = ""
    if card is not None:
        event = card.gathering.title if card.gathering_id else card.event_label
    language = contact_language(contact)
    polite = tone == "formal"
    topic = topic_of(card.topic if card is not None else "", language="en" if language.startswith("en") else "fr",
                     polite=polite)
    name = first_name(contact)
    english = language.startswith("en")
    # A name dropped into a sentence follows its grammar: « au déjeuner réseautage », not « à
    # Déjeuner réseautage »; « parler d'architecture », not « de architecture ».
    at_event = french.at_event(event, language="en" if english else "fr") if event else ""
    about = (f"about {topic}" if english else french.de(topic)) if topic else ""
    with translation.override(language):
        # A subject as people write one (not the officialese « Suite à »): what the email is about.
        if event:
            subject = _("Notre conversation %(at_event)s") % {"at_event": at_event}
        else:
            subject = _("Notre conversation")
        # The draft speaks in the member's own voice: no « Content·e », a phrasing that needs no gender.
        if tone == "brief":
            lines = [_("Bonjour %(name)s,") % {"name": name}, ""]
            if topic:
                lines.append(_("Ça m'a fait plaisir de parler %(about)s.") % {"about": about})
            elif event:
                lines.append(_("Ça m'a fait plaisir de te rencontrer %(at_event)s.") % {"at_event": at_event})
            for promise in promises:
                lines.append(_("Comme promis : %(promise)s.") % {"promise": _clean(promise.text)})
            lines += ["", _("À bientôt,")]
        elif tone == "formal":
            lines = [_("Bonjour %(name)s,") % {"name": name}, ""]
            if event:
                lines.append(_("Je vous remercie pour notre échange %(at_event)s.") % {"at_event": at_event})
            if topic:
                lines.append(_("Notre conversation sur %(topic)s m'a donné matière à réflexion.") % {"topic": topic})
            for promise in promises:
                lines.append(_("Comme convenu, voici %(promise)s.") % {"promise": _clean(promise.text)})
            lines += ["", _("Ce serait un plaisir de poursuivre cette conversation."), "", _("Cordialement,")]
        else:
            lines = [_("Bonjour %(name)s,") % {"name": name}, ""]
            if event:
                lines.append(_("Merci pour notre échange %(at_event)s.") % {"at_event": at_event})
            if topic:
                lines.append(_("J'ai repensé à notre conversation sur %(topic)s.") % {"topic": topic})
            for promise in promises:
                lines.append(_("Comme promis, voici %(promise)s.") % {"promise": _clean(promise.text)})
            lines += ["", _("Au plaisir de poursuivre la conversation,")]
        # The outbox sends from Tablée's address: the signature carries mine so a reply finds me.
        lines += [owner.get_full_name() or owner.email, owner.email]
    return subject, "\n".join(lines)


@dataclass(frozen=True)
class ToneSwitch:
    """What the follow-up page shows after a tone button: the draft, its tone, and ``ask``, the tone
    waiting for the member's yes when switching would replace text they changed ("" otherwise)."""

    subject: str
    body: str
    tone: str
    ask: str = ""


def _as_typed(text: str) -> str:
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")).strip()


def tone_switch(followup: FollowUp, *, shown: str, wanted: str, subject: str, body: str,
                confirmed: bool = False) -> ToneSwitch:
    """Another tone replaces the draft only when the member left it as drafted, or said yes: what
    they typed is never lost without asking. Nothing is stored (sending stores the message)."""
    shown = shown if shown in TONES else DEFAULT_TONE
    if wanted not in TONES or wanted == shown:
        return ToneSwitch(subject, body, shown)
    drafted_subject, drafted_body = followup_draft(followup, shown)
    edited = (_as_typed(subject), _as_typed(body)) != (_as_typed(drafted_subject), _as_typed(drafted_body))
    if edited and not confirmed:
        return ToneSwitch(subject, body, shown, ask=wanted)
    return ToneSwitch(*followup_draft(followup, wanted), tone=wanted)


def mailto_link(*, to: str, subject: str, body: str) -> str:
    """A mailto: URL with the draft, for « Ouvrir dans mon logiciel de courriel »."""
    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
