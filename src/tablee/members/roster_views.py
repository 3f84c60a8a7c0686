"""The organizer's members page: who is in and how far they got, invitations, roles, deactivation,
adding one member, the CSV import with its preview, and the « Demander à joindre » requests.

Every page starts with ``_organized``: the association if the user organizes it, 404/403 otherwise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tablee.jobs.models import Job
from tablee.jobs.selectors import job_for_owner
from tablee.jobs.services import PreviewGone
from tablee.members import roster as roster_services
from tablee.members.access import import_preview_for
from tablee.members.csv_import import created_phrase, kept_phrase, updated_phrase
from tablee.members.invitations import declined, declined_phrase, invitations_send, never_signed_in
from tablee.members.models import Association, JoinRequest, Membership, User
from tablee.members.roster_forms import (
    ImportConfirmForm,
    ImportUploadForm,
    JoinRequestForm,
    MemberAddForm,
    RoleForm,
)
from tablee.members.roster_import import (
    members_preview_import,
    members_preview_start,
    preview_from_job,
)
from tablee.members.selectors import join_requests_pending
from tablee.members.services import membership_set_role
from tablee.pagination import page_params, page_url
from tablee.throttle import Throttled, throttle_hit


def _organized(request: HttpRequest, slug: str) -> Association:
    from tablee.members.access import association_for_organizer

    return association_for_organizer(request.user, slug)


def _member(association: Association, user_id: int) -> User:
    return get_object_or_404(User, pk=user_id, memberships__association=association)


def _back(association: Association) -> HttpResponse:
    return redirect("members:roster", association.slug)


def _queued_message(queued: int, declined: int = 0) -> str:
    """« 2 invitations envoyées. », and apart, those who declined the association's invitations."""
    sent = ngettext("%(count)d invitation envoyée.", "%(count)d invitations envoyées.", queued) % {"count": queued}
    return f"{sent} {declined_phrase(declined)}" if declined else sent


def _page(request: HttpRequest, association: Association, **forms) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    limit, offset = page_params(request)
    page = roster_services.roster_page(association=association, search=query, include_deactivated=True,
                                       limit=limit, offset=offset)
    # Who an invitation would go to, and apart those who declined them: one query.
    refused = Q(pk__in=declined(association=association).values("pk"))
    counts = never_signed_in(association=association).aggregate(pending=Count("pk", filter=~refused),
                                                                 declined=Count("pk", filter=refused))
    return render(request, "members/roster.html", {
        "association": association,
        "rows": page.items,
        "page": page,
        "previous_url": page_url(request, page.previous_offset),
        "next_url": page_url(request, page.next_offset),
        "q": query,
        "pending": counts["pending"],
        "declined_note": declined_phrase(counts["declined"]) if counts["declined"] else "",
        "join_requests": list(join_requests_pending(association=association)),
        "add_form": forms.get("add_form") or MemberAddForm(initial={"invite": True}),
        "upload_form": forms.get("upload_form") or ImportUploadForm(),
        "roles": Membership.Role.choices,
    }, status=400 if forms else 200)


@login_required
@require_GET
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _organized(request, slug))


@login_required
@require_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    association = _organized(request, slug)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user, invited = roster_services.member_add(
                association=association, email=data["email"], first_name=data["first_name"],
                last_name=data["last_name"], organization=data["organization"], invite=data["invite"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("%(email)s est membre.") % {"email": user.email}
                             + (" " + _queued_message(1) if invited else ""))
            return _back(association)
    return _page(request, association, add_form=form)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    association = _organized(request, slug)
    user = _member(association, user_id)
    sent = invitations_send(association=association, emails=[user.email], invited_by=request.user)
    if sent.declined:
        messages.warning(request, _("%(name)s a décliné les invitations de l'association : aucune invitation n'est "
                                    "envoyée.") % {"name": user.get_full_name() or user.email})
    elif sent.queued:
        messages.success(request, _queued_message(sent.queued))
    else:
        messages.warning(request, _("Une invitation vient de partir : réessayez dans quelques minutes."))
    return _back(association)


@login_required
@require_POST
def invite_pending(request: HttpRequest, slug: str) -> HttpResponse:
    association = _organized(request, slug)
    if request.POST.get("confirm") != "1":  # many emails at once: asked first on the page
        messages.error(request, _("Confirmez l'envoi des invitations."))
        return _back(association)
    sent = invitations_send(association=association, invited_by=request.user)
    messages.success(request, _queued_message(sent.queued, sent.declined))
    return _back(association)


@login_required
@require_POST
def role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    association = _organized(request, slug)
    user = _member(association, user_id)
    form = RoleForm(request.POST)
    if user.pk == request.user.pk:
        messages.error(request, _("Vous ne pouvez pas changer votre propre rôle."))
    elif form.is_valid():
        new_role = form.cleaned_data["role"]
        current = Membership.objects.filter(association=association, user=user).values_list("role", flat=True).first()
        if new_role == current:
            messages.info(request, _("Le rôle de %(email)s reste le même.") % {"email": user.email})
        elif request.POST.get("confirm") != "1":
            # Asked first, on a page of its own: what the new role gives or takes away.
            return render(request, "members/role_confirm.html", {
                "association": association, "person": user, "role": new_role,
                "role_label": Membership.Role(new_role).label, "promote": new_role == Membership.Role.ORGANIZER,
            })
        else:
            membership_set_role(association=association, user=user, role=new_role)
            messages.success(request, _("Le rôle de %(email)s est changé.") % {"email": user.email})
    return _back(association)


@login_required
@require_POST
def deactivate(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    association = _organized(request, slug)
    user = _member(association, user_id)
    if request.POST.get("confirm") != "1":  # asked first on the page
        messages.error(request, _("Confirmez la désactivation."))
        return _back(association)
    try:
        roster_services.membership_deactivate(association=association, user=user, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(email)s n'a plus accès à l'association.") % {"email": user.email})
    return _back(association)


@login_required
@require_POST
def reactivate(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    association = _organized(request, slug)
    user = _member(association, user_id)
    roster_services.membership_reactivate(association=association, user=user)
    messages.success(request, _("%(email)s est de nouveau membre.") % {"email": user.email})
    return _back(association)


@login_required
@require_POST
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: keep the file with a preview of what it would do (nothing else is written), and show it."""
    association = _organized(request, slug)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, association, upload_form=form)
    upload = form.cleaned_data["file"]
    job = members_preview_start(organizer=request.user, association=association, data=upload.read(),
                                file_name=upload.name or "")
    return redirect("members:import_preview", association.slug, job.pk)


@login_required
@require_GET
def import_preview_page(request: HttpRequest, slug: str, preview_id: int) -> HttpResponse:
    """What importing the kept file would do; while the worker reads a big file, the page follows it."""
    association = _organized(request, slug)
    job = import_preview_for(association=association, preview_id=preview_id)
    preview = preview_from_job(job) if job.finished else None
    confirm = ImportConfirmForm()
    return render(request, "members/import_preview.html",
                  {"association": association, "job": job, "preview": preview, "form": confirm})


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str, preview_id: int) -> HttpResponse:
    """Step 2: all or nothing, exactly the file the preview showed (kept with it), once."""
    association = _organized(request, slug)
    job = import_preview_for(association=association, preview_id=preview_id)
    form = ImportConfirmForm(request.POST)
    invite = form.is_valid() and bool(form.cleaned_data["invite"])
    try:
        outcome = members_preview_import(organizer=request.user, association=association, job=job, invite=invite,
                                         overwrite=form.overwrite)
    except PreviewGone as exc:
        messages.error(request, exc.message)
        return redirect("members:import_preview", association.slug, job.pk)
    if isinstance(outcome, Job):  # a big file: the worker imports it, a page follows it
        return redirect("members:import_job", association.slug, outcome.pk)
    result, queued = outcome
    if not result.ok:
        preview = preview_from_job(job)  # as shown, with what the import refused
        preview.errors = list(result.errors)
        return render(request, "members/import_preview.html",
                      {"association": association, "job": job, "preview": preview, "form": form}, status=400)
    messages.success(request, _("Import terminé : %(created)s, %(updated)s.")
                     % {"created": created_phrase(result.created), "updated": updated_phrase(result.updated)}
                     + (" " + kept_phrase(result.kept) + "." if result.kept else "")
                     + (" " + _queued_message(queued) if queued else ""))
    return _back(association)


@login_required
@require_GET
def import_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The progress of a big import; the page refreshes itself (HTMX) until the worker is done."""
    association = _organized(request, slug)
    job = job_for_owner(owner=request.user, job_id=job_id)
    if job.kind != Job.Kind.MEMBERS_IMPORT or job.params.get("association") != association.pk:
        raise Http404
    return render(request, "members/import_job.html", {"association": association, "job": job})


@login_required
@require_POST
def join_request_decide(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    association = _organized(request, slug)
    join_request = get_object_or_404(JoinRequest, pk=request_id, association=association)
    approve = request.POST.get("decision") == "approve"
    if not approve and request.POST.get("confirm") != "1":  # asked first on the page
        messages.error(request, _("Confirmez le refus de la demande."))
        return _back(association)
    try:
        roster_services.join_request_decide(join_request=join_request, approve=approve, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Demande acceptée : l'invitation est envoyée.") if approve
                         else _("Demande refusée."))
    return _back(association)


@login_required
@require_POST
def requests_open(request: HttpRequest, slug: str) -> HttpResponse:
    association = _organized(request, slug)
    roster_services.association_open_to_requests(association=association, open=request.POST.get("open") == "1")
    return _back(association)


@require_GET
def association_public(request: HttpRequest, slug: str) -> HttpResponse:
    """The association's page for strangers: its name, its description and « Demander à joindre ».
    Only where the association opened requests: any other answers 404, so nothing says it exists."""
    from tablee.members.access import is_member

    association = get_object_or_404(Association, slug=slug, open_to_requests=True)
    return render(request, "members/association.html",
                  {"association": association, "is_member": is_member(request.user, association)})


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """« Demander à joindre »: public, only where the association opened it. The answer is the same
    whether the address is new, waiting or already a member."""
    association = get_object_or_404(Association, slug=slug, open_to_requests=True)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # A public form: a few requests per address of origin per hour (issue 12's throttle).
            throttle_hit(key=f"join-request:{request.META.get('REMOTE_ADDR', '')}", limit=5, window=3600)
            roster_services.join_request_create(association=association, **data)
        except Throttled as exc:
            form.add_error(None, exc.message)
            return render(request, "members/join.html", {"association": association, "form": form}, status=429)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return render(request, "members/join_sent.html", {"association": association})
    return render(request, "members/join.html", {"association": association, "form": form})
