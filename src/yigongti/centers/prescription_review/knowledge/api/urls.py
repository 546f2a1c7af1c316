from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from yigongti.centers.prescription_review.knowledge.api import views

router = SimpleRouter(trailing_slash=False)
router.register("knowledge/versions", views.VersionViewSet, basename="rx-knowledge-version")
for prefix, viewset in views.ROUTES.items():
    router.register(f"knowledge/{prefix}", viewset, basename=f"rx-knowledge-{prefix}")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
