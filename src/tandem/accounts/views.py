"""Account pages.

- Sign-in: the password, then the second factor (set up at the first sign-in), then the page the
  person asked for. Every other page waits until both are passed
  (`tandem.middleware.LoginRequiredForPagesMiddleware`).
- Your account: change password (Django's views, our service and templates), sign out everywhere;
  a forgotten password reset through an emailed link.
- Users: the administrator's list of accounts, and deactivating a leaver.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.access.roles import Role
from tandem.accounts import selectors
from tandem.accounts.demo_accounts import is_demo_account
from tandem.accounts.forms import DeactivationForm, EnrolmentCodeForm, TwoFactorCodeForm
from tandem.accounts.rules import DEACTIVATE_USER, VIEW_USERS
from tandem.accounts.services import (
    password_change,
    password_reset_complete,
    sessions_end_all,
    two_factor_enrolment_confirm,
    two_factor_enrolment_start,
    two_factor_verify,
    user_deactivate,
)
from tandem.accounts.two_factor import is_enrolled, qr_code_svg, secret_as_text
from tandem.lib.two_factor import (
    TWO_FACTOR_WAIVED_SESSION_KEY,
    two_factor_not_required,
    two_factor_verified,
)
from tandem.web import NOT_DONE, acting_user, form_page, form_submission, posted

# Recovery codes are shown once, on the page after set-up: the session carries them that far.
RECOVERY_CODES_SESSION_KEY = "tandem_recovery_codes_to_show"


class SignInView(auth_views.LoginView):
    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if settings.DEBUG and is_demo_account(form.get_user()):
            self.request.session[TWO_FACTOR_WAIVED_SESSION_KEY] = True
        return response


sign_in = SignInView.as_view()
sign_out = two_factor_not_required(auth_views.LogoutView.as_view())


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


@two_factor_not_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second factor of a sign-in: a code from the app, or a recovery code."""
    user = acting_user(request)
    if two_factor_verified(request):
        return redirect(_next_url(request))
    if not is_enrolled(user):
        return redirect(_with_next("accounts:two_factor_enrol", request))
    form = TwoFactorCodeForm(posted(request))
    if form.is_valid():
        if two_factor_verify(request=request, user=user, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "The code is not right, or it was used already: enter the code your authenticator "
            "app shows now, or an unused recovery code. After several wrong codes, wait a "
            "moment before trying again.",
        )
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "heading": "Enter your code", "caption": "Sign in", "button": "Continue"},
    )


@two_factor_not_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app at the first sign-in: scan or type the key, then confirm."""
    user = acting_user(request)
    if is_enrolled(user):
        return redirect(_with_next("accounts:two_factor", request))
    device = two_factor_enrolment_start(user=user)
    form = EnrolmentCodeForm(posted(request))
    codes = form_submission(
        request,
        form=form,
        act=lambda: two_factor_enrolment_confirm(
            request=request, user=user, code=form.cleaned_data["code"]
        ),
    )
    if codes is not NOT_DONE:
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect(_with_next("accounts:recovery_codes", request))
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "heading": "Set up two-factor authentication",
            "caption": "Sign in",
            "button": "Confirm",
            "secret": secret_as_text(device),
            "qr_code": qr_code_svg(device),
        },
    )


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once, right after set-up."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


FORM_PAGE = "form_page.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = FORM_PAGE
    success_url = reverse_lazy("accounts:account")
    extra_context = {"heading": "Change your password", "button": "Change password"}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        password_change(
            request=self.request, user=form.user, password=form.cleaned_data["new_password1"]
        )
        messages.success(
            self.request, "Your password is changed: your other sessions have been signed out"
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address; says the same whether or not an account has it."""

    template_name = FORM_PAGE
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    @property
    def extra_email_context(self) -> dict[str, int]:
        return {"timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    extra_context = {
        "heading": "Reset your password",
        "button": "Send the reset link",
        "intro": "Enter the email address of your Tandem account. If it has one, we will send "
        "a link to choose a new password.",
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"heading": "Choose a new password", "button": "Save the new password"}

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        password_reset_complete(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


password_change_page = PasswordChangeView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_done = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_done.html"
)


def account(request: HttpRequest) -> HttpResponse:
    """Your account: password, two-factor authentication, and signing out everywhere."""
    return render(request, "accounts/account.html", {"enrolled": is_enrolled(acting_user(request))})


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the person's, this one included (a lost or shared device)."""
    user = acting_user(request)
    sessions_end_all(user=user, actor=user, reason="Signed out everywhere")
    request.session.flush()
    return redirect(settings.LOGIN_URL)


USERS_PER_PAGE = 50


@permission_required_or_403(VIEW_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    """Every account: roles, services, last sign-in, two-factor set up or not, active or not."""
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.users_for_administrator(search=search), USERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = dict(Role.choices)
    rows = [
        (person, [labels.get(group.name, group.name) for group in person.groups.all()])
        for person in page.object_list
    ]
    return render(
        request, "accounts/user_list.html", {"page": page, "rows": rows, "search": search}
    )


@permission_required_or_403(DEACTIVATE_USER)
def user_deactivate_page(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(selectors.users_for_administrator(), pk=user_id)
    form = DeactivationForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: user_deactivate(
            actor=acting_user(request), user=person, reason=form.cleaned_data["reason"]
        ),
        done=f"{person.get_full_name() or person.username}'s account is deactivated and their "
        "sessions have ended",
        success_url=reverse("accounts:user_list"),
        heading=f"Deactivate {person.get_full_name() or person.username}'s account",
        caption="Users",
        intro="They will not be able to sign in, and every session they have open ends now. "
        "Their records stay as they are.",
        button="Deactivate the account",
        back=reverse("accounts:user_list"),
    )
