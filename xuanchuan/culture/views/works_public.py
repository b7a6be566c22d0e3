"""The public phone pages of calls for works (no account): the calls and exhibitions, a call with
its submission form (rate-limited by address, CSRF, the human check, consent required), the
reference shown once to the browser that sent the work, a status look-up by reference, and the
online exhibition of accepted works. No page shows an author's name or phone; images are served
only for accepted works of open exhibitions (404 for anything else, alike)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import ServiceError, refusal_text
from xuanchuan.core.views import style_form
from xuanchuan.culture.forms import works as forms
from xuanchuan.culture.models import CallForWorks, SubmissionImage
from xuanchuan.culture.queries import works as queries
from xuanchuan.culture.services import works as services

SESSION_KEY = "culture_works_sent"
SUBMIT_RATE = getattr(settings, "CULTURE_WORKS_PUBLIC_RATE", "20/m")
LOOKUP_RATE = getattr(settings, "CULTURE_WORKS_LOOKUP_RATE", "30/m")
GALLERY_PAGE = 24


def m_calls(request: HttpRequest) -> HttpResponse:
    """Calls taking works (or about to), and the online exhibitions open now."""
    context = {"title": _("作品征集与网上展览"), "calls": queries.open_calls(), "exhibitions": queries.exhibitions()}
    return render(request, "culture/m/works_calls.html", context)


def _published_call(pk: int) -> CallForWorks:
    call = queries.public_calls().filter(pk=pk).first() if 0 < pk < 2**63 else None
    if call is None:
        raise Http404
    return call


@never_cache
@rate_limit("culture-works-submit", SUBMIT_RATE)
@require_http_methods(["GET", "POST"])
def m_call(request: HttpRequest, pk: int) -> HttpResponse:
    """A call: theme, dates, art forms; while it takes works, the submission form. A refused form
    keeps what was typed (the images must be chosen again, and the page says so)."""
    call = _published_call(pk)
    reason = services.not_taking_reason(call)
    form = None
    if not reason:
        form = forms.SubmissionForm(request.POST or None, request.FILES or None, call=call)
        if request.method == "POST" and form.is_valid():
            try:
                item = services.submit_work(call, form.submission_input())
            except ServiceError as exc:
                form.add_error(None, refusal_text(exc))
            else:
                sent = request.session.get(SESSION_KEY, [])[-9:]
                request.session[SESSION_KEY] = [*sent, item.reference]
                return redirect("culture:m_submitted", reference=item.reference)
        style_form(form, "lg")
        form.fields["consent"].widget.attrs["class"] = "form-check-input"
    context = {
        "title": call.title,
        "call": call,
        "form": form,
        "reason": reason,
        "art_forms": services.art_form_list(call),
        "max_images": services.MAX_IMAGES,
        "refused": bool(form is not None and form.errors),
    }
    status = 400 if (form is not None and form.errors) or (reason and request.method == "POST") else 200
    return render(request, "culture/m/works_call.html", context, status=status)


@never_cache
def m_submitted(request: HttpRequest, reference: str) -> HttpResponse:
    """The reference of a work this browser has just sent (nothing else); 404 for any other."""
    if reference not in request.session.get(SESSION_KEY, []):
        raise Http404
    return render(request, "culture/m/works_submitted.html", {"title": _("作品已提交"), "reference": reference})


@never_cache
@rate_limit("culture-works-status", LOOKUP_RATE, methods=("GET", "POST"))
def m_status(request: HttpRequest) -> HttpResponse:
    """Look a work up by its reference: its call and status only (no personal data)."""
    form = forms.StatusForm(request.GET if "reference" in request.GET else None)
    found, missing = None, False
    if form.is_bound and form.is_valid():
        found = queries.by_reference(form.cleaned_data["reference"])
        missing = found is None
    style_form(form, "lg")
    context = {"title": _("查询投稿结果"), "form": form, "found": found, "missing": missing}
    return render(request, "culture/m/works_status.html", context, status=404 if missing else 200)


def _exhibition(pk: int) -> CallForWorks:
    call = queries.exhibition(pk) if 0 < pk < 2**63 else None
    if call is None:
        raise Http404
    return call


def m_exhibition(request: HttpRequest, pk: int) -> HttpResponse:
    """The online exhibition of a call: its accepted works as a gallery of thumbnails."""
    call = _exhibition(pk)
    page = Paginator(queries.shown_works(call), GALLERY_PAGE).get_page(request.GET.get("page"))
    context = {"title": _("网上展览：%(title)s") % {"title": call.title}, "call": call, "page": page}
    return render(request, "culture/m/works_exhibition.html", context)


def m_work(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    """One accepted work of an open exhibition: its images, title, art form and public name."""
    call = _exhibition(pk)
    work = queries.shown_works(call).filter(pk=submission_pk).first() if 0 < submission_pk < 2**63 else None
    if work is None:
        raise Http404
    images = list(work.images.all())
    for image in images:  # width and height on the page keep it from jumping as images arrive
        try:
            image.w, image.h = image.image.width, image.image.height
        except (FileNotFoundError, OSError, ValueError):
            image.w = image.h = None
    context = {"title": work.title, "call": call, "work": work, "images": images}
    return render(request, "culture/m/works_work.html", context)


def _public_image(image_pk: int) -> SubmissionImage:
    image = queries.shown_image(image_pk) if 0 < image_pk < 2**63 else None
    if image is None:
        raise Http404
    return image


def _send(name: str) -> HttpResponse:
    from django.core.files.storage import default_storage

    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    # Short: a work taken out of the exhibition should leave shared caches soon.
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def m_work_image(request: HttpRequest, image_pk: int) -> HttpResponse:
    """An image of an accepted work of an open exhibition (404 for anything else)."""
    return _send(_public_image(image_pk).image.name)


def m_work_thumb(request: HttpRequest, image_pk: int) -> HttpResponse:
    """The gallery thumbnail of such an image (480 px square)."""
    image = _public_image(image_pk)
    try:
        name = services.ensure_thumbnail(image)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return _send(name)
