from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from yigongti.platform.integration.api import views
from yigongti.platform.integration.fhir import search
from yigongti.platform.integration.fhir.transport import FhirMetadataView, views_for
from yigongti.platform.integration.hl7v2.transport import Hl7InboundView

router = SimpleRouter(trailing_slash=False)
router.register("clients", views.ApiClientViewSet)
router.register("inbound-messages", views.InboundMessageViewSet)
router.register("regional-sync/runs", views.SyncRunViewSet)

urlpatterns: list[URLPattern | URLResolver] = [
    path("hl7/v2", Hl7InboundView.as_view(), name="integration-hl7-v2"),
    path("fhir/metadata", FhirMetadataView.as_view(), name="fhir-metadata"),
]
for resource in search.TYPES.values():
    search_view, read_view = views_for(resource)
    urlpatterns += [
        path(f"fhir/{resource.name}", search_view.as_view(), name=f"fhir-{resource.name.lower()}-search"),
        path(f"fhir/{resource.name}/<str:resource_id>", read_view.as_view(), name=f"fhir-{resource.name.lower()}-read"),
    ]
urlpatterns += router.urls
