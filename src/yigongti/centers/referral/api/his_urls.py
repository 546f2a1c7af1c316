"""HIS interface and FHIR routes under ``/api/v1/referral/`` (included by ``api/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from yigongti.centers.referral.api import his_views as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("his/referrals", v.HisReferralCreateView.as_view(), name="referral-his-create"),
    path("his/referrals/<int:pk>", v.HisReferralDetailView.as_view(), name="referral-his-detail"),
    path("his/referrals/<int:pk>/package", v.HisPackageView.as_view(), name="referral-his-package"),
    path("his/referrals/<int:pk>/submit", v.HisSubmitView.as_view(), name="referral-his-submit"),
    path("his/slots", v.HisSlotsView.as_view(), name="referral-his-slots"),
    path("his/beds", v.HisBedsView.as_view(), name="referral-his-beds"),
    path("his/webhook", v.HisWebhookView.as_view(), name="referral-his-webhook"),
    path("fhir/ServiceRequest/<str:pk>", v.fhir_view("ServiceRequest").as_view(), name="referral-fhir-servicerequest"),
    path("fhir/Task/<str:pk>", v.fhir_view("Task").as_view(), name="referral-fhir-task"),
]
