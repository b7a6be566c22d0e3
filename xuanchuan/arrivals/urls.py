"""URLs of 来返人员登记, mounted at /arrivals/ under the namespace ``arrivals``."""

from django.urls import path

from xuanchuan.arrivals.views import areas, follow_up, public, registrations

app_name = "arrivals"

urlpatterns = [
    # Public, without an account.
    path("register/", public.register, name="register"),
    path("r/<str:code>/", public.receipt, name="receipt"),
    path("r/<str:code>/edit/", public.receipt_edit, name="receipt_edit"),
    path("receipt/", public.receipt_lookup, name="receipt_lookup"),
    path("receipt/resend/", public.receipt_resend, name="receipt_resend"),
    path("divisions/", public.division_options, name="division_options"),
    # Staff.
    path("", registrations.RegistrationListView.as_view(), name="registration_list"),
    path("<int:pk>/", registrations.RegistrationDetailView.as_view(), name="registration_detail"),
    path("<int:pk>/merge/", registrations.registration_merge, name="registration_merge"),
    path("<int:pk>/check-in/", follow_up.check_in, name="registration_check_in"),
    path("<int:pk>/complete/", follow_up.complete, name="registration_complete"),
    path("grid/", registrations.grid_entry, name="registration_grid"),
    path("duplicates/", registrations.duplicate_list, name="duplicate_list"),
    path("corrections/", registrations.correction_list, name="correction_list"),
    path("corrections/<int:pk>/", registrations.correction_decide, name="correction_decide"),
    path("daily/", follow_up.daily_list, name="daily_list"),
    path("risk-areas/", areas.RiskAreaListView.as_view(), name="riskarea_list"),
    path("risk-areas/new/", areas.riskarea_edit, name="riskarea_create"),
    path("risk-areas/<int:pk>/", areas.riskarea_edit, name="riskarea_edit"),
    path("statistics/", areas.statistics, name="statistics"),
]
