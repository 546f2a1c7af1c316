"""Mounted at ``api/v1/documents/`` (``path("documents/", include("yigongti.core.documents.api.urls"))``)."""

from django.urls import path

from yigongti.core.documents.api import views

urlpatterns = [
    path("barcode", views.BarcodeView.as_view(), name="documents-barcode"),
    path("label-sheet", views.LabelSheetView.as_view(), name="documents-label-sheet"),
]
