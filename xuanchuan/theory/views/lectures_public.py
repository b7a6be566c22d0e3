"""The public phone pages of lecture requests (点单): a resident or a unit asks for a lecture
without an account (rate-limited, CSRF, the human check), and is shown a reference number. The
number is kept in the sender's session only, and the page echoes no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import ServiceError, refusal_text
from xuanchuan.core.views import style_form
from xuanchuan.theory.forms import lectures as forms
from xuanchuan.theory.services import lectures as services

SESSION_KEY = "theory_request_sent"


@never_cache
@rate_limit("theory-request", settings.THEORY_PUBLIC_RATE)
@require_http_methods(["GET", "POST"])
def m_request(request: HttpRequest) -> HttpResponse:
    """Ask for a lecture: topic, place, date, audience, the street or community, a contact."""
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.submit_request(form.request_input())
        except ServiceError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            request.session[SESSION_KEY] = {"ref": services.reference(item), "topic": item.topic[:60]}
            return redirect("theory:m_request_done")
    style_form(form, "lg")
    form.fields["consent"].widget.attrs["class"] = "form-check-input"
    status = 400 if form.errors else 200
    return render(request, "theory/m/request.html", {"form": form, "title": _("宣讲点单")}, status=status)


@never_cache
def m_request_done(request: HttpRequest) -> HttpResponse:
    """The reference number of the request this browser has just sent (nothing else)."""
    sent = request.session.get(SESSION_KEY)
    if not sent:
        return redirect("theory:m_request")
    return render(request, "theory/m/request_done.html", {"sent": sent, "title": _("点单已提交")})
