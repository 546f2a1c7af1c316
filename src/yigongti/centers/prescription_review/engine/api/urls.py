from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

router = SimpleRouter(trailing_slash=False)

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
