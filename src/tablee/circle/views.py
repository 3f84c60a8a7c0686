"""Pages for the three cards, the follow-ups and my circle. Thin: owner check in a selector, one service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from tablee.circle import access, selectors, services
from tablee.circle.drafts import DEFAULT_TONE, TONES, followup_draft, mailto_link, tone_switch
from tablee.circle.exports import me_export_stream, vcard_export_stream
from tablee.circle.forms import ContactForm
from tablee.circle.import_preview import (
    contacts_preview_import,
    contacts_preview_start,
    preview_from_job,
)
from tablee.circle.models import (
    CARD_BUDGET_MAX,
    CARD_BUDGET_MIN,
    Contact,
    DeletedContact,
    FollowUp,
    Interaction,
    Promise,
)
from tablee.circle.rendering import render as render_markdown
from tablee.gatherings import access as gatherings_access
from tablee.jobs.models import Job
from tablee.jobs.selectors import job_for_owner
from tablee.jobs.services import INLINE_MAX_ROWS, PreviewGone, estimate_rows, job_queue
from tablee.members.selectors import organization_shown
from tablee.pagination import page_params, page_url, window
from tablee.redirects import safe_next

# Photos count here but not in the 5 MB of text the importer reads (importers.MAX_TEXT_CHARS).
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# --- three cards ------------------------------------------------------------------------------------


@login_required
def cards(request, gathering_id: int):
    gathering = gatherings_access.gathering_for_member(request.user, gathering_id)
    attended = selectors.attended(user=request.user, gathering=gathering)
    budget = selectors.card_budget_for(request.user, gathering)
    if request.method == "POST" and attended and request.POST.get("action") == "continue":
        return _continue_wishes(request, gathering)
    if request.method == "POST" and attended:
        entries = [services.CardEntry(user_id=user_id, note=request.POST.get(f"note-{user_id}", ""),
                                      topic=request.POST.get(f"topic-{user_id}", ""))
                   for user_id in _ids(request.POST.getlist("keep"))]
        if request.POST.get("new_name", "").strip() or request.POST.get("new_email", "").strip():
            entries.append(_new_entry(request.POST))
        try:
            kept = services.cards_keep(owner=request.user, gathering=gathering, entries=entries)
            for user_id in _ids(request.POST.getlist("continue")):
                services.continue_wish_create(author=request.user, gathering=gathering, target_id=user_id)
        except (services.CircleError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            if kept:
                messages.success(request, _("Cartes gardées. Vos suivis vous attendent dans « Suivis »."))
            return redirect("circle:cards", gathering_id=gathering.pk)
    kept_cards = list(selectors.cards_for_event(owner=request.user, gathering=gathering))
    kept_users = {c.contact.user_id for c in kept_cards}
    people = selectors.attendees_for_cards(gathering=gathering, user=request.user) if attended else []
    mates = selectors.table_mates_of(gathering=gathering, user=request.user) if attended else set()
    # After a refusal the member's choices and notes stay on screen.
    chosen, wished = set(request.POST.getlist("keep")), set(request.POST.getlist("continue"))
    rows = [{"person": p, "checked": str(p.pk) in chosen, "wish": str(p.pk) in wished,
             "note": request.POST.get(f"note-{p.pk}", ""), "topic": request.POST.get(f"topic-{p.pk}", ""),
             "mate": p.pk in mates,
             "organization": organization_shown(p, table_mate=p.pk in mates)}
            for p in people if p.pk not in kept_users]
    left = max(budget - len(kept_cards), 0)
    # « Poursuivre la conversation » stays open when no card is left: my table-mates and the people
    # I kept, those the form above does not already show.
    in_form = {r["person"].pk for r in rows} if left else set()
    wished_before = selectors.my_continue_targets(user=request.user, gathering=gathering)
    to_continue = [p for p in people if (p.pk in mates or p.pk in kept_users) and p.pk not in in_form]
    return render(request, "circle/cards.html", {
        "gathering": gathering, "attended": attended, "budget": budget, "kept": kept_cards,
        "left": left, "rows": rows,
        "mates": [r for r in rows if r["mate"]], "others": [r for r in rows if not r["mate"]],
        "mutual": selectors.mutual_continues(user=request.user, gathering=gathering),
        "to_continue": [{"person": p, "wished": p.pk in wished_before} for p in to_continue],
    })


def _ids(values: list[str]) -> list[int]:
    """The person ids a form sent, in order, without repeats; anything else is ignored."""
    return list(dict.fromkeys(int(value) for value in values if value.isascii() and value.isdigit()))


def _continue_wishes(request, gathering) -> HttpResponse:
    people = {p.pk for p in selectors.attendees_for_cards(gathering=gathering, user=request.user)}
    try:
        for user_id in _ids(request.POST.getlist("continue")):
            if user_id in people:
                services.continue_wish_create(author=request.user, gathering=gathering, target_id=user_id)
    except (services.CircleError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("C'est noté, en privé : vous le saurez si c'est réciproque."))
    return redirect(reverse("circle:cards", args=[gathering.pk]) + "#continue")


@login_required
def continue_write(request, gathering_id: int, user_id: int):
    """The link of the « poursuivre la conversation » email: one button to a follow-up draft.

    Anyone else (a forwarded link) gets "not found": the pair is revealed to its two people only."""

    from tablee.circle.models import ContinueWish

    gathering = gatherings_access.gathering_for_member(request.user, gathering_id)
    wish = (ContinueWish.objects.filter(author=request.user, target_id=user_id, gathering=gathering,
                                        mutual_at__isnull=False).select_related("target").first())
    if wish is None:
        raise Http404
    if request.method == "POST":
        followup = services.continue_followup_start(owner=request.user, gathering=gathering, other=wish.target)
        return redirect("circle:followup", followup_id=followup.pk)
    return render(request, "circle/continue.html", {"gathering": gathering, "other": wish.target})


def _new_entry(post) -> services.CardEntry:
    return services.CardEntry(
        name=post.get("new_name", ""), email=post.get("new_email", ""), organization=post.get("new_organization", ""),
        note=post.get("new_note", ""), topic=post.get("new_topic", ""),
        pronunciation=post.get("new_pronunciation", ""),
    )


@login_required
def event_cards(request):
    """Cards from an event outside Tablée (a conference…), captured on the phone."""
    label = request.POST.get("event_label", request.GET.get("event", "")).strip()
    if request.method == "POST":
        try:
            services.cards_keep(owner=request.user, event_label=label, entries=[_new_entry(request.POST)])
        except (services.CircleError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Carte gardée."))
            return redirect(f"{request.path}?{urlencode({'event': label})}")
    kept = list(selectors.cards_for_event(owner=request.user, event_label=label)) if label else []
    budget = selectors.card_budget_for(request.user, label)
    return render(request, "circle/event_cards.html", {"label": label, "kept": kept, "budget": budget,
                                                        "left": max(budget - len(kept), 0)})


# --- follow-ups -------------------------------------------------------------------------------------


@login_required
def followups(request):
    limit, offset = page_params(request)
    page = window(selectors.followups_queue(owner=request.user), limit=limit, offset=offset)
    queue = [services.followup_fill_draft(followup=f) for f in page.items]
    recent = list(selectors.followups_recent(owner=request.user))
    for item in recent:
        item.delivery = selectors.delivery_label(item)
    return render(request, "circle/followups.html", {
        "queue": queue, "today": selectors.today(), "recent": recent, "page": page,
        "dismissed": services.followup_dismissed_recent(owner=request.user),
        "previous_url": page_url(request, page.previous_offset), "next_url": page_url(request, page.next_offset),
    })


@login_required
def followup(request, followup_id: int):
    item = services.followup_fill_draft(followup=access.followup_for_owner(owner=request.user, followup_id=followup_id))
    tone, ask = request.GET.get("tone", ""), ""
    if request.method == "POST" and "action" not in request.POST and item.status == FollowUp.Status.PENDING:
        # A tone button: the page again with that tone's draft, unless it would replace what was typed.
        wanted = request.POST.get("replace_tone") or request.POST.get("tone", "")
        switched = tone_switch(item, shown=request.POST.get("shown_tone", ""), wanted=wanted,
                               subject=request.POST.get("subject", ""), body=request.POST.get("body", ""),
                               confirmed="replace_tone" in request.POST)
        item.subject, item.body, tone, ask = switched.subject, switched.body, switched.tone, switched.ask
    elif request.method == "POST":
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        action = request.POST.get("action")
        try:
            if action == "send":
                services.followup_send(owner=request.user, followup=item, subject=subject, body=body)
                messages.success(request, _("Votre courriel part sous peu. Un seul, promis."))
            elif action == "mailto":
                services.followup_open_in_mail(owner=request.user, followup=item, subject=subject, body=body)
                messages.success(request, _("Noté : envoyé depuis votre logiciel de courriel."))
            elif action == "dismiss":
                if request.POST.get("confirm") != "1":  # asked first on the page
                    messages.error(request, _("Confirmez que vous laissez tomber ce suivi."))
                    return redirect("circle:followup", followup_id=item.pk)
                if services.followup_dismiss(owner=request.user, followup=item):
                    messages.success(request, _("Suivi laissé tombé. Vous pouvez annuler pendant %(minutes)s minutes.")
                                     % {"minutes": DeletedContact.UNDO_MINUTES})
        except (services.CircleError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            return redirect("circle:followups")
    elif tone in TONES and item.status == FollowUp.Status.PENDING:
        item.subject, item.body = followup_draft(item, tone)  # shown, not stored: sending stores it
    labels = {"brief": _("Bref"), "warm": _("Chaleureux"), "formal": _("Formel")}
    return render(request, "circle/followup.html", {
        "item": item, "status": selectors.delivery_label(item), "tone": tone if tone in TONES else DEFAULT_TONE,
        "tones": [(value, labels[value]) for value in ("brief", "warm", "formal")],
        "ask": ask, "ask_label": labels.get(ask, ""),
        "mailto": mailto_link(to=item.contact.email, subject=item.subject, body=item.body),
        "pending": item.status == FollowUp.Status.PENDING,
    })


@login_required
@require_POST
def followup_restore(request, followup_id: int):
    """« Annuler » after « Laisser tomber »: the follow-up is to do again, with its draft."""
    item = access.followup_for_owner(owner=request.user, followup_id=followup_id)
    try:
        services.followup_restore(owner=request.user, followup_id=item.pk)
    except services.CircleError as exc:
        messages.error(request, str(exc))
        return redirect("circle:followups")
    messages.success(request, _("Le suivi avec %(name)s est de retour dans vos suivis à faire.")
                     % {"name": item.contact.name})
    return redirect("circle:followup", followup_id=item.pk)


# --- my circle --------------------------------------------------------------------------------------


@login_required
def circle(request):
    """The tiers (small by design) in full; everyone else a page at a time (a circle can hold 20,000)."""
    mine = selectors.contacts_for_owner(owner=request.user)
    limit, offset = page_params(request)
    tiered = list(mine.exclude(tier=""))
    others = window(mine.filter(tier=""), limit=limit, offset=offset)
    for contact in [*tiered, *others.items]:
        contact.rhythm = selectors.rhythm_of(contact)
    tiers = [(value, label, [c for c in tiered if c.tier == value] if value else others.items,
              selectors.TIER_SIZES.get(value)) for value, label in Contact.Tier.choices]
    return render(request, "circle/circle.html", {
        "tiers": tiers, "count": len(tiered) + others.total, "others": others,
        "previous_url": page_url(request, others.previous_offset), "next_url": page_url(request, others.next_offset),
        "suggestion": services.suggestion_for_today(owner=request.user),
        "dormant": selectors.dormant_ties(owner=request.user)[:3],
        "duplicates": selectors.duplicate_groups(owner=request.user),
        "deleted": services.deleted_contact_recent(owner=request.user),
        "tier_choices": Contact.Tier.choices, "language_choices": Contact.Language.choices,
        "budget": selectors.card_budget_for(request.user), "budget_choices": range(CARD_BUDGET_MIN, CARD_BUDGET_MAX + 1),
    })


@login_required
@require_POST
def contact_add(request):
    fields = {k: request.POST.get(k, "").strip() for k in ("email", "organization", "phone", "pronunciation", "tier")}
    try:
        contact = services.contact_create(owner=request.user, name=request.POST.get("name", ""),
                                          moves_out=_moves_out(request), **fields)
    except services.TierFull as exc:
        messages.error(request, f"{exc} " + ", ".join(c.name for c in exc.members))
        return redirect("circle:circle")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("circle:circle")
    return redirect("circle:contact", contact_id=contact.pk)


def _moves_out(request) -> Contact | None:
    contact_id = _int_or_none(request.POST.get("moves_out"))
    return access.contact_for_owner(owner=request.user, contact_id=contact_id) if contact_id else None


@login_required
def contact(request, contact_id: int):
    item = access.contact_for_owner(owner=request.user, contact_id=contact_id)
    form = ContactForm.for_contact(item)
    if request.method == "POST" and request.POST.get("action") == "edit":
        form = ContactForm(request.POST)
        if _contact_edit(request, item, form):
            return redirect("circle:contact", contact_id=item.pk)
        item.refresh_from_db()  # the page shows what is saved; the form, what was typed
    elif request.method == "POST":
        try:
            _contact_action(request, item)
        except services.TierFull as exc:
            messages.error(request, f"{exc} " + ", ".join(c.name for c in exc.members))
        except (services.CircleError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            if request.POST.get("action") == "delete":
                return redirect("circle:circle")
        return redirect("circle:contact", contact_id=item.pk)
    notes = [(note, render_markdown(note.text)) for note in item.notes.all()]
    deleted_note = services.deleted_note_recent(owner=request.user, contact=item)
    tier_others = selectors.contacts_for_owner(owner=request.user).exclude(pk=item.pk).exclude(tier="")
    return render(request, "circle/contact.html", {
        "contact": item, "rhythm": selectors.rhythm_of(item), "timeline": selectors.timeline(contact=item),
        "notes": notes, "cards": item.cards.filter(owner=request.user).select_related("gathering"),
        "deleted_note": deleted_note, "promises": Promise.objects.filter(owner=request.user, contact=item),
        "promise_undo_since": services.promise_undo_since(),
        "kinds": [(k, label) for k, label in Interaction.Kind.choices if k != Interaction.Kind.GATHERING],
        "tier_choices": Contact.Tier.choices, "language_choices": Contact.Language.choices,
        "tier_others": tier_others, "form": form,
    }, status=422 if form.errors else 200)


def _contact_edit(request, item: Contact, form: ContactForm) -> bool:
    """The card's form: a refused value (a rhythm whose ideal passes its maximum, a full tier) comes
    back beside its field with what was typed, rather than as a message at the top of the page."""
    if not form.is_valid():
        return False
    try:
        services.contact_update(owner=request.user, contact=item, moves_out=_moves_out(request), **form.cleaned_data)
    except services.TierFull as exc:
        form.add_error("tier", f"{exc} " + ", ".join(c.name for c in exc.members))
        return False
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def _contact_action(request, item: Contact) -> None:
    post, owner = request.POST, request.user
    action = post.get("action")
    if action == "note":
        services.note_add(owner=owner, contact=item, text=post.get("text", ""))
    elif action == "note_edit":
        note = access.note_for_owner(owner=owner, contact=item, note_id=post.get("note"))
        services.note_update(owner=owner, note=note, text=post.get("text", ""))
        messages.success(request, _("Note modifiée."))
    elif action == "note_delete":
        if post.get("confirm") != "1":  # asked first on the page
            messages.error(request, _("Confirmez la suppression de la note."))
        elif services.note_delete(owner=owner, note=access.note_for_owner(owner=owner, contact=item,
                                                                          note_id=post.get("note"))):
            messages.success(request, _("Note supprimée. Vous pouvez annuler pendant %(minutes)s minutes.")
                             % {"minutes": DeletedContact.UNDO_MINUTES})
    elif action == "note_restore":
        services.note_restore(owner=owner, trash_id=_int_or_none(post.get("trash")) or 0)
        messages.success(request, _("La note est de retour."))
    elif action == "promise":
        services.promise_create(owner=owner, contact=item, text=post.get("text", ""), due_on=post.get("due_on") or None)
    elif action in ("kept", "dropped", "promise_reopen"):
        promise = Promise.objects.filter(owner=owner, contact=item, pk=_int_or_none(post.get("promise"))).first()
        if promise is None:
            return
        if action == "promise_reopen":
            services.promise_reopen(owner=owner, promise=promise)
            messages.success(request, _("La promesse est de nouveau à tenir."))
        elif action == "dropped" and post.get("confirm") != "1":  # asked first on the page
            messages.error(request, _("Confirmez l'abandon de la promesse."))
        else:
            services.promise_close(owner=owner, promise=promise, kept=action == "kept")
            messages.success(request, (_("Promesse tenue. Vous pouvez annuler pendant %(minutes)s minutes.")
                                       if action == "kept" else
                                       _("Promesse abandonnée. Vous pouvez annuler pendant %(minutes)s minutes."))
                             % {"minutes": DeletedContact.UNDO_MINUTES})
    elif action == "interaction":
        services.interaction_record(owner=owner, contact=item, kind=post.get("kind", ""), summary=post.get("summary", ""))
    elif action == "delete" and services.contact_delete(owner=owner, contact=item) is not None:
        messages.success(request, _("Contact supprimé : « %(name)s ». Vous pouvez annuler pendant %(minutes)s minutes.")
                             % {"name": item.name, "minutes": DeletedContact.UNDO_MINUTES})


@login_required
@require_POST
def contact_restore(request, trash_id: int):
    try:
        contact = services.contact_restore(owner=request.user, trash_id=trash_id)
    except services.CircleError as exc:
        messages.error(request, str(exc))
        return redirect("circle:circle")
    messages.success(request, _("« %(name)s » est de retour, avec ses notes et son historique.") % {"name": contact.name})
    return redirect("circle:contact", contact_id=contact.pk)


@login_required
@require_POST
def contacts_merge(request):
    keep = access.contact_for_owner(owner=request.user, contact_id=_int_or_none(request.POST.get("keep")) or 0)
    others = [access.contact_for_owner(owner=request.user, contact_id=pk)
              for pk in map(_int_or_none, request.POST.getlist("merge")) if pk]
    services.contact_merge(owner=request.user, keep=keep, others=others)
    messages.success(request, _("Doublons fusionnés."))
    return redirect("circle:contact", contact_id=keep.pk)


@login_required
def contacts_import(request):
    """Import a file, or (« Vérifier sans importer ») see first what importing it would do: the file
    stays with the preview (its owner's alone, for an hour), whose « Importer » imports it."""
    result = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        if upload.size > MAX_IMPORT_BYTES:
            messages.error(request, _("Fichier trop volumineux (20 Mo au plus)."))
        elif request.POST.get("dry_run"):
            job = contacts_preview_start(owner=request.user, data=upload.read(), file_name=upload.name or "")
            return redirect("circle:import_preview", preview_id=job.pk)
        else:
            data = upload.read()
            if estimate_rows(data) > INLINE_MAX_ROWS:  # a big file: the worker imports it, this page follows
                job = job_queue(owner=request.user, kind=Job.Kind.CONTACTS_IMPORT, data=data)
                return redirect("circle:import_job", job_id=job.pk)
            result = services.contacts_import(owner=request.user, data=data)
    return render(request, "circle/import.html", {"result": result})


@login_required
@require_GET
def contacts_import_preview(request, preview_id: int):
    """What importing the kept file would do; while the worker reads a big file, the page follows it."""
    job = access.import_preview_for_owner(owner=request.user, preview_id=preview_id)
    preview = preview_from_job(job) if job.finished else None
    return render(request, "circle/import_preview.html", {"job": job, "preview": preview})


@login_required
@require_POST
def contacts_import_confirm(request, preview_id: int):
    """Import exactly what the preview showed, without choosing the file again."""
    job = access.import_preview_for_owner(owner=request.user, preview_id=preview_id)
    try:
        outcome = contacts_preview_import(owner=request.user, job=job)
    except PreviewGone as exc:
        messages.error(request, exc.message)
        return redirect("circle:import_preview", preview_id=job.pk)
    if isinstance(outcome, Job):
        return redirect("circle:import_job", job_id=outcome.pk)
    return render(request, "circle/import.html", {"result": outcome}, status=422 if outcome.errors else 200)


@login_required
def contacts_import_job(request, job_id: int):
    """The progress of a big import; the page refreshes itself until the worker is done."""
    job = job_for_owner(owner=request.user, job_id=job_id)
    if job.kind != Job.Kind.CONTACTS_IMPORT:
        raise Http404
    return render(request, "circle/import_job.html", {"job": job})


@login_required
def contacts_export(request):
    """The vCard of my circle, my private notes included (the page says so); ``?notes=0`` without them."""
    version = "4.0" if request.GET.get("version") == "4.0" else "3.0"
    with_notes = request.GET.get("notes") != "0"
    response = StreamingHttpResponse(vcard_export_stream(owner=request.user, version=version, with_notes=with_notes),
                                     content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tablee-contacts.vcf"'
    return response


@login_required
def my_export(request):
    response = StreamingHttpResponse(me_export_stream(owner=request.user), content_type="application/json; charset=utf-8")
    # In the reader's language, like the pages: « mes données » or “my data”.
    response["Content-Disposition"] = content_disposition_header(True, pgettext("file name", "tablee-mes-donnees.json"))
    return response


@login_required
@require_POST
def budget_update(request):
    try:
        services.circle_settings_update(user=request.user, card_budget=_int_or_none(request.POST.get("card_budget")) or 0)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("C'est noté."))
    return redirect(safe_next(request, "circle:circle"))


@login_required
@require_POST
def suggestion_dismiss(request, suggestion_id: int):
    services.suggestion_dismiss(owner=request.user, suggestion_id=suggestion_id)
    return redirect("circle:circle")
