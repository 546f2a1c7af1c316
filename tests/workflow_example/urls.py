"""Test URLconf: the project's URLs plus the example under /api/v1/workflow-example/ (production
URLs stay clean). Used with ``@pytest.mark.urls("tests.workflow_example.urls")``."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from tests.workflow_example.api import LeaveRequestViewSet
from yigongti.config import urls as project

router = SimpleRouter(trailing_slash=False)
router.register("leave-requests", LeaveRequestViewSet)

api_v1: list[URLPattern | URLResolver] = [path("workflow-example/", include(router.urls)), *project.api_v1]
urlpatterns: list[URLPattern | URLResolver] = [path("api/v1/", include(api_v1)), *project.urlpatterns[1:]]
