"""Pages of the journey: Mon parcours, an intention and its reflection, share with the few, and an
association's depth for organizers. Thin: permission, one service or selector, then render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from tablee import csvsafe
from tablee.circle.access import contact_for_owner
from tablee.circle.selectors import card_budget_for
from tablee.gatherings import access as gatherings_access
from tablee.gatherings.models import Gathering
from tablee.journey import access, charts, selectors, services
from tablee.journey.forms import (
    GatheringReflectionForm,
    IntentionForm,
    PacingForm,
    ReflectionForm,
    ShareForm,
)
from tablee.members import access as members_access
from tablee.tables import questions
from tablee.tables.selectors import my_table
from tablee.text import french


def _language() -> str:
    return translation.get_language() or "fr-ca"


def _day(day) -> str:
    """A chart's day as its reader writes it: « 1er décembre » in Québec, “December 1” in English."""
    return french.dates_in(_language(), date_format(day, "MONTH_DAY_FORMAT"))


def _titled(draw, title: str, **kwargs) -> tuple[str, SafeString]:
    """A chart with its visible title, which the page shows as the figure's <figcaption>."""
    return title, draw(title=title, **kwargs)


@login_required
def parcours(request):
    today = timezone.localdate()
    data = selectors.parcours(user=request.user, today=today)
    labels = [selectors.month_label(m) for m in data["months"]]
    short = [selectors.month_label(m, short=True) for m in data["months"]]
    bar_charts = [
        _titled(charts.bar_chart, s.label, labels=short, values=s.values, colour=charts.PALETTE[k])
        for k, s in enumerate(data["series"])
    ]
    if data["energy"]:
        bar_charts.append(_titled(
            charts.line_chart, _("Mon énergie avant et après"),
            labels=[_day(e[0]) for e in data["energy"]],
            lines=[(_("avant"), [e[1] for e in data["energy"]]), (_("après"), [e[2] for e in data["energy"]])],
            top=5,
        ))
    # A newcomer has nothing to count yet: a word on what will show here, not four charts of zeros.
    nothing_yet = not data["energy"] and not any(v for s in data["series"] for v in s.values)
    return render(request, "journey/parcours.html", {
        "charts": bar_charts,
        "nothing_yet": nothing_yet,
        "series": data["series"],
        "rows": [(label, [(s.label, s.values[k]) for s in data["series"]]) for k, label in enumerate(labels)],
        "intentions": selectors.intentions_of(author=request.user)[:20],
        "recovery": selectors.recovery_reminder(user=request.user, today=today),
        "to_prepare": selectors.upcoming_to_prepare(user=request.user),
        "pacing_form": PacingForm(initial={"weekly_cap": selectors.weekly_cap(request.user)}),
        "this_week": selectors.events_in_week(user=request.user, day=today),
    })


@login_required
@require_POST
def pacing(request):
    form = PacingForm(request.POST)
    if form.is_valid():
        services.pacing_update(user=request.user, weekly_cap=form.cleaned_data["weekly_cap"])
        messages.success(request, _("Votre rythme est enregistré."))
    else:
        messages.error(request, _("Choisissez un nombre entre 1 et 14."))
    return redirect("journey:parcours")


def _upcoming(user):
    return gatherings_access.visible_gatherings(user).filter(
        starts_at__gte=timezone.now() - timedelta(days=1)
    ).exclude(state=Gathering.State.DRAFT).order_by("starts_at")


def _bank() -> list[str]:
    return [q["en" if _language().startswith("en") else "fr"] for q in questions.bank()]


def _intention_fields(form: IntentionForm) -> dict:
    data = form.cleaned_data
    return {"result": data["result"], "signal": data["signal"], "cards_budget": data["cards_budget"],
            "energy_before": data["energy_before"], "leave_at": data["leave_at"], "questions": form.questions()}


def _has_begun(gathering: Gathering) -> bool:
    return gathering.starts_at <= timezone.now()


@login_required
def intention_new(request):
    gatherings = _upcoming(request.user)
    chosen = None
    if request.GET.get("gathering"):
        chosen = gatherings_access.gathering_for_member(request.user, request.GET["gathering"])
        # One intention per gathering: the hub's link opens the one I already wrote.
        existing = selectors.intentions_of(author=request.user).filter(gathering=chosen).first()
        if existing is not None:
            return redirect("journey:intention", intention_id=existing.pk)
        if _has_begun(chosen):  # too late for an intention: the reflection is what is written now
            return redirect("journey:gathering_reflection", gathering_id=chosen.pk)
    form = IntentionForm(request.POST or None, gatherings=gatherings, known_gathering=chosen,
                         initial={"gathering": chosen, "cards_budget": card_budget_for(request.user)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intention = services.intention_create(
                author=request.user, gathering=data["gathering"], event_title=data.get("event_title") or "",
                event_date=data.get("event_date"), **_intention_fields(form),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre intention est notée. Bonne rencontre!"))
            return redirect("journey:intention", intention_id=intention.pk)
    day = timezone.localtime(chosen.starts_at).date() if chosen else None
    return render(request, "journey/intention_new.html", {
        "form": form,
        "gathering": chosen,
        "table": my_table(gathering=chosen, user=request.user, language=_language()) if chosen else None,
        "warning": selectors.pacing_warning(user=request.user, day=day, gathering=chosen) if day else "",
        "bank": _bank(),
    })


@login_required
def intention_edit(request, intention_id: int):
    """Change my intention until the event begins; after, the page of the intention asks for the reflection."""
    intention = access.intention_for_author(request.user, intention_id)
    if not services.intention_editable(intention):
        messages.info(request, _("L'événement a commencé : écrivez plutôt votre réflexion."))
        return redirect(reverse("journey:intention", args=[intention.pk]) + "#reflection")
    initial = {"result": intention.result, "signal": intention.signal, "cards_budget": intention.cards_budget,
               "energy_before": intention.energy_before, "leave_at": intention.leave_at,
               "event_title": intention.event_title, "event_date": intention.event_date,
               **{f"question_{k}": q for k, q in enumerate(intention.questions[:3], start=1)}}
    form = IntentionForm(request.POST or None, gatherings=Gathering.objects.none(),
                         known_gathering=intention.gathering, initial=initial)
    del form.fields["gathering"]  # the event stays the same; an outside one may be renamed or moved
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.intention_update(intention=intention, event_title=data.get("event_title"),
                                      event_date=data.get("event_date"), **_intention_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre intention est modifiée."))
            return redirect("journey:intention", intention_id=intention.pk)
    return render(request, "journey/intention_new.html", {
        "form": form, "intention": intention, "gathering": intention.gathering, "bank": _bank(),
    })


@login_required
def gathering_reflection(request, gathering_id: int):
    """« Ma réflexion » from a past gathering's hub: the reflection of my intention for it, or, when I
    wrote none, what I wanted (looking back) and the reflection, in one form."""
    gathering = gatherings_access.gathering_for_member(request.user, gathering_id)
    existing = selectors.intentions_of(author=request.user).filter(gathering=gathering).first()
    if existing is not None:
        return redirect(reverse("journey:intention", args=[existing.pk]) + "#reflection")
    if not _has_begun(gathering):
        return redirect(reverse("journey:intention_new") + f"?gathering={gathering.pk}")
    form = GatheringReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                intention = services.intention_create(author=request.user, gathering=gathering, result=data["result"],
                                                      signal=data["signal"], energy_before=data["energy_before"],
                                                      cards_budget=card_budget_for(request.user, gathering))
                services.reflection_record(intention=intention, reached=data["reached"], next_step=data["next_step"],
                                           energy_after=data["energy_after"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre réflexion est enregistrée."))
            return redirect("journey:intention", intention_id=intention.pk)
    return render(request, "journey/reflection_new.html", {"form": form, "gathering": gathering})


@login_required
def intention_detail(request, intention_id: int):
    intention = access.intention_for_author(request.user, intention_id)
    reflection = getattr(intention, "reflection", None)
    initial = {"reached": "1" if reflection.reached else "0", "next_step": reflection.next_step,
               "energy_after": reflection.energy_after} if reflection else {}
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.reflection_record(intention=intention, reached=form.cleaned_data["reached"],
                                   next_step=form.cleaned_data["next_step"],
                                   energy_after=form.cleaned_data["energy_after"])
        messages.success(request, _("Votre réflexion est enregistrée."))
        return redirect("journey:intention", intention_id=intention.pk)
    table = None
    if intention.gathering_id and intention.gathering.starts_at >= timezone.now():
        table = my_table(gathering=intention.gathering, user=request.user, language=_language())
    editable = services.intention_editable(intention)
    return render(request, "journey/intention.html", {
        "intention": intention,
        "reflection": reflection,
        "form": form,
        "table": table,
        "event": selectors.event_of(intention),
        "editable": editable,
        "past": not editable,
    })


@login_required
def share(request):
    """Step 1: paste a text, see one to three people. Step 2: tick who, edit the notes, send."""
    form = ShareForm(request.POST or None)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("step") == "send":
            ids = request.POST.getlist("contact")[: services.SHARE_MAX]
            try:
                picks = [(contact_for_owner(owner=request.user, contact_id=int(i)),
                          request.POST.get(f"note_{i}", "")) for i in ids if str(i).isascii() and str(i).isdigit()]
                sent = services.share_send(author=request.user, text=text, picks=picks)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                count = sent.recipients.count()
                messages.success(request, ngettext("Partagé avec %(count)s personne, par un courriel personnel.",
                                                   "Partagé avec %(count)s personnes, un courriel chacune.", count)
                                 % {"count": count})
                return redirect("journey:share")
        suggestions = selectors.share_suggestions(owner=request.user, text=text)
    return render(request, "journey/share.html", {"form": form, "suggestions": suggestions})


def _depth_context(request, slug: str) -> dict:
    association = members_access.association_for_organizer(request.user, slug)
    rows = selectors.association_depth(association=association)
    labels = [_day(timezone.localtime(r.starts_at)) for r in rows]
    shares = [r for r in rows if r.followed_up_share is not None]
    depth_charts = [
        _titled(charts.bar_chart, _("Nouvelles rencontres par membre"), labels=labels,
                values=[r.new_pairs_per_member for r in rows], colour=charts.PALETTE[0]),
        _titled(charts.bar_chart, _("Taux de répétition (%)"), labels=labels,
                values=[round(100 * r.repeat_rate) for r in rows], colour=charts.PALETTE[1], top=100),
        _titled(charts.bar_chart, _("Part des présents qui ont fait un suivi (%)"),
                labels=[_day(timezone.localtime(r.starts_at)) for r in shares],
                values=[round(100 * r.followed_up_share) for r in shares], colour=charts.PALETTE[2],
                top=100),
        _titled(charts.bar_chart, _("Souhaits « poursuivre » réciproques"), labels=labels,
                values=[r.mutual_continues for r in rows], colour=charts.PALETTE[3]),
    ]
    return {"association": association, "rows": rows, "charts": depth_charts,
            "season_start": selectors.season_start(timezone.localdate()),
            "min_attendees": selectors.MIN_ATTENDEES_FOR_SHARE}


@login_required
def depth(request, slug: str):
    return render(request, "journey/depth.html", _depth_context(request, slug))


@login_required
def depth_csv(request, slug: str):
    context = _depth_context(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = pgettext("file name", "profondeur-%(association)s.csv") % {"association": slug}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # The headers of the page's table, in the reader's language, with its spreadsheet's separator.
    writer = csvsafe.spreadsheet(response, language=_language())
    writer.writerow([_("Date"), _("Rencontre"), _("Présents"), _("Nouvelles rencontres par membre"),
                     _("Taux de répétition"), _("Suivi en 48 h"), _("« Poursuivre » réciproques")])
    for row in context["rows"]:
        writer.writerow([timezone.localtime(row.starts_at).date().isoformat(), row.title, row.attendees,
                         row.new_pairs_per_member, row.repeat_rate,
                         "" if row.followed_up_share is None else row.followed_up_share, row.mutual_continues])
    return response
