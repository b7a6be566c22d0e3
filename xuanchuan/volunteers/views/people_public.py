"""Residents' phone pages of the people part (no staff account): registering, signing in by a code
sent to the registered mobile, signing out, the volunteer's home, profile, withdrawal, record and
certificates; and the public check of a certificate by its code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import refusal_text
from xuanchuan.core.views import style_form
from xuanchuan.volunteers import session
from xuanchuan.volunteers.certificates import certificate_docx, certificate_pdf
from xuanchuan.volunteers.forms import people as forms
from xuanchuan.volunteers.models import Volunteer, VolunteerStatus
from xuanchuan.volunteers.queries import people as queries
from xuanchuan.volunteers.services import people as services

CHOICE_SALT = "xuanchuan.volunteers.signin-choice"
CHOICE_SECONDS = 300
VERIFY_RATE = "30/m"


def _me_url() -> str:
    return reverse("volunteers:me")


@never_cache
@rate_limit("volunteers-join", settings.VOLUNTEERS_PUBLIC_RATE)
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """A resident registers themselves and is signed in on this phone. An ID number already
    registered is told only to sign in with the registered phone (nothing about the record)."""
    if session.current_volunteer(request) is not None:
        return redirect("volunteers:me")
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.register_self(form.person(), unit=form.unit(), consented=form.cleaned_data["consent"])
        except ValidationError as exc:
            if getattr(exc, "code", None) == "duplicate":
                messages.info(request, refusal_text(exc))
                return redirect("volunteers:signin")
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request, _("登记成功，欢迎成为志愿者！您的志愿者编号是 %(number)s。") % {"number": volunteer.number}
            )
            return session.sign_in(HttpResponseRedirect(_me_url()), volunteer)
    style_form(form, "lg")
    form.fields["consent"].widget.attrs["class"] = "form-check-input"
    status = 400 if form.errors else 200
    return render(request, "volunteers/m/join.html", {"form": form, "title": _("志愿者登记")}, status=status)


def _choice_token(volunteers: list[Volunteer]) -> str:
    return TimestampSigner(salt=CHOICE_SALT).sign_object([v.pk for v in volunteers])


@never_cache
@rate_limit("volunteers-signin", settings.VOLUNTEERS_PUBLIC_RATE)
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Sign in with the registered mobile: step one sends a code (the same answer whether or not the
    number is registered), step two checks it. A phone shared by family members offers a choice."""
    next_url = session.safe_next(request, _me_url())
    step = request.POST.get("step", "send")
    phone_form = forms.SignInPhoneForm(request.POST if step == "send" and request.method == "POST" else None)
    code_form = forms.SignInCodeForm(request.POST if step == "check" else None)
    sent = False
    if request.method == "POST" and step == "send" and phone_form.is_valid():
        phone = phone_form.cleaned_data["phone"]
        try:
            services.request_signin_code(phone)
        except ValidationError as exc:
            phone_form.add_error("phone", refusal_text(exc))
        else:
            sent = True
            code_form = forms.SignInCodeForm(initial={"phone": phone})
    elif request.method == "POST" and step == "check":
        sent = True
        if code_form.is_valid():
            try:
                found = services.signin_with_code(code_form.cleaned_data["phone"], code_form.cleaned_data["code"])
            except ValidationError as exc:
                code_form.add_error("code", refusal_text(exc))
            else:
                if len(found) == 1:
                    return session.sign_in(HttpResponseRedirect(next_url), found[0])
                context = {"title": _("选择志愿者"), "choices": found, "token": _choice_token(found), "next": next_url}
                return render(request, "volunteers/m/signin_choice.html", context)
    style_form(phone_form, "lg")
    style_form(code_form, "lg")
    code_form.fields["phone"].widget.attrs["readonly"] = True
    context = {
        "title": _("志愿者登录"),
        "phone_form": phone_form,
        "code_form": code_form,
        "sent": sent,
        "next": next_url,
        "minutes": settings.VOLUNTEERS_SIGNIN_CODE_MINUTES,
    }
    status = 400 if phone_form.errors or code_form.errors else 200
    return render(request, "volunteers/m/signin.html", context, status=status)


@require_POST
@rate_limit("volunteers-signin", settings.VOLUNTEERS_PUBLIC_RATE)
def signin_choose(request: HttpRequest) -> HttpResponse:
    """The second step for a shared phone: the chosen volunteer among those the code proved."""
    try:
        allowed = TimestampSigner(salt=CHOICE_SALT).unsign_object(request.POST.get("token", ""), max_age=CHOICE_SECONDS)
        chosen = int(request.POST.get("volunteer", ""))
    except (BadSignature, SignatureExpired, ValueError):
        messages.error(request, _("页面已过期，请重新获取验证码。"))
        return redirect("volunteers:signin")
    if chosen not in allowed:
        raise Http404
    # The code sent to the phone proved these volunteers (the signed list above).
    volunteer = Volunteer.objects.filter(pk=chosen, status=VolunteerStatus.ACTIVE).first()  # scoping: allowed
    if volunteer is None:
        raise Http404
    return session.sign_in(HttpResponseRedirect(session.safe_next(request, _me_url())), volunteer)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    """Sign out on this phone; with "退出所有手机" on every phone (the generation is raised)."""
    volunteer = session.current_volunteer(request)
    form = forms.SignOutForm(request.POST)
    if volunteer is not None and form.is_valid() and form.cleaned_data["everywhere"]:
        services.sign_out_everywhere(volunteer=volunteer)
    messages.info(request, _("已退出登录。"))
    return session.sign_out(redirect("volunteers:signin"))


@never_cache
@session.volunteer_required
def me(request: HttpRequest) -> HttpResponse:
    """The volunteer's home: number, masked name, community, teams, certified hours (all and this
    year), points balance, recent service."""
    page = queries.home(request.volunteer)
    return render(
        request, "volunteers/m/me.html", {"page": page, "title": _("我的志愿服务"), "signout": forms.SignOutForm()}
    )


@never_cache
@session.volunteer_required
@rate_limit("volunteers-me", settings.VOLUNTEERS_PUBLIC_RATE)
@require_http_methods(["GET", "POST"])
def me_edit(request: HttpRequest) -> HttpResponse:
    """Change address, skills and availability; a new mobile needs the code sent to it."""
    volunteer = request.volunteer
    action = request.POST.get("action", "")
    profile = forms.ProfileForm(
        request.POST if action == "profile" else None,
        initial={"address": volunteer.address, "skills": volunteer.skills, "availability": volunteer.availability},
    )
    phone_form = forms.PhoneChangeForm(request.POST if action in ("phone-send", "phone-confirm") else None)
    code_sent = False
    if action == "profile" and profile.is_valid():
        services.update_profile(volunteer=volunteer, **profile.cleaned_data)
        messages.success(request, _("资料已保存。"))
        return redirect("volunteers:me")
    if action == "phone-send" and phone_form.is_valid():
        try:
            services.request_phone_change(volunteer=volunteer, new_phone=phone_form.cleaned_data["new_phone"])
        except ValidationError as exc:
            phone_form.add_error("new_phone", refusal_text(exc))
        else:
            code_sent = True
    if action == "phone-confirm" and phone_form.is_valid():
        code_sent = True
        try:
            services.confirm_phone_change(
                volunteer=volunteer,
                new_phone=phone_form.cleaned_data["new_phone"],
                code=phone_form.cleaned_data["code"],
            )
        except ValidationError as exc:
            phone_form.add_error("code", refusal_text(exc))
        else:
            messages.success(request, _("手机号已更换，以后请用新手机号登录。"))
            return redirect("volunteers:me")
    style_form(profile, "lg")
    style_form(phone_form, "lg")
    context = {
        "title": _("修改我的资料"),
        "profile": profile,
        "phone_form": phone_form,
        "code_sent": code_sent,
        "volunteer": volunteer,
    }
    return render(
        request, "volunteers/m/me_edit.html", context, status=400 if profile.errors or phone_form.errors else 200
    )


@never_cache
@session.volunteer_required
@require_http_methods(["GET", "POST"])
def me_withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw (a confirmation page): signed out everywhere, personal data erased after the
    retention period."""
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw(volunteer=request.volunteer)
        messages.info(request, _("您已注销志愿者登记。"))
        return session.sign_out(redirect("volunteers:signin"))
    form.fields["confirm"].widget.attrs["class"] = "form-check-input"
    context = {"title": _("注销志愿者登记"), "form": form, "retention_days": settings.VOLUNTEERS_RETENTION_DAYS}
    return render(request, "volunteers/m/withdraw.html", context)


@never_cache
@session.volunteer_required
def my_record(request: HttpRequest) -> HttpResponse:
    """The volunteer's record in its five blocks (masked on the page)."""
    item = queries.record(request.volunteer)
    return render(request, "volunteers/m/record.html", {"record": item, "title": _("我的志愿服务记录")})


@never_cache
@session.volunteer_required
def my_record_xlsx(request: HttpRequest) -> HttpResponse:
    """The volunteer's own record as .xlsx, with their own data in full (only they get it)."""
    item = queries.record(request.volunteer, with_certificates=False)
    response = HttpResponse(
        queries.record_xlsx(item, full=True),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="record-{request.volunteer.number}.xlsx"'
    return response


@never_cache
@session.volunteer_required
def m_certificates(request: HttpRequest) -> HttpResponse:
    """The volunteer's certificates, to download."""
    items = list(request.volunteer.certificates.select_related("unit").order_by("-issued_at"))
    return render(request, "volunteers/m/certificates.html", {"certificates": items, "title": _("我的服务证明")})


def verify_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("volunteers:certificate_check", kwargs={"code": code}))


def certificate_file(request: HttpRequest, certificate, kind: str) -> HttpResponse:
    """The certificate as .docx or PDF (a clear page where LibreOffice is missing)."""
    url = verify_url(request, certificate.code)
    if kind == "pdf":
        data = certificate_pdf(certificate, url)
        if data is None:
            context = {
                "title": _("无法生成PDF"),
                "message": _("服务器未安装LibreOffice，暂不能生成PDF，请下载Word版（.docx）打印。"),
                # The volunteer's phone keeps its own frame; staff see the staff site's.
                "base": "base.html" if request.user.is_authenticated else "volunteers/m/base.html",
            }
            return render(request, "volunteers/people/no_pdf.html", context, status=503)
        response = HttpResponse(data, content_type="application/pdf")
    else:
        response = HttpResponse(
            certificate_docx(certificate, url),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.{kind}"'
    return response


@never_cache
def m_certificate_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One of the volunteer's own certificates (.docx or .pdf). The link is only on their own
    certificates page, so anyone else (signed in or not) gets the 404 of a missing file."""
    volunteer = session.current_volunteer(request)
    if volunteer is None:
        raise Http404
    certificate = volunteer.certificates.select_related("unit", "volunteer").filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate_file(request, certificate, kind)


@never_cache
@rate_limit("volunteers-verify", VERIFY_RATE, methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Anyone types the code printed on a certificate and sees whether it is valid."""
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        certificate = queries.certificate_by_code(form.cleaned_data["code"].strip())
        if certificate is not None:
            return redirect("volunteers:certificate_check", code=certificate.code)
        form.add_error("code", _("未找到该验证码对应的证明，请核对后再输入。"))
    style_form(form, "lg")
    return render(
        request,
        "volunteers/people/verify.html",
        {"form": form, "title": _("志愿服务记录证明核验")},
        status=400 if form.errors else 200,
    )


@never_cache
@rate_limit("volunteers-verify", VERIFY_RATE, methods=("GET",))
def certificate_check(request: HttpRequest, code: str) -> HttpResponse:
    """The public answer for one code: valid or revoked, the masked name, hours, period, issuer and
    date — never the ID number or the phone."""
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        raise Http404(_("验证码不存在"))
    context = {
        "certificate": certificate,
        "hours": queries.hours_text(certificate.minutes),
        "title": _("志愿服务记录证明核验"),
    }
    return render(request, "volunteers/people/check.html", context)
