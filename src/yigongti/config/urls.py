from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from yigongti.core.console import api_not_found, console_index
from yigongti.core.health import HealthView

api_v1: list[URLPattern | URLResolver] = [
    path("health", HealthView.as_view(), name="health"),
    path("auth/", include("yigongti.platform.accounts.api.urls_auth")),
    path("accounts/", include("yigongti.platform.accounts.api.urls")),
    path("org/", include("yigongti.platform.org.api.urls")),
    path("codes/", include("yigongti.platform.codes.api.urls")),
    path("registry/", include("yigongti.platform.registry.api.urls")),
    path("audit/", include("yigongti.core.audit.urls")),
    path("documents/", include("yigongti.core.documents.api.urls")),
    path("numbering/", include("yigongti.core.numbering.api.urls")),
    path("jobs/", include("yigongti.core.outbox.api.urls")),
    path("files/", include("yigongti.platform.files.api.urls")),
    path("notify/", include("yigongti.platform.notify.api.urls")),
    path("integration/", include("yigongti.platform.integration.api.urls")),
    path("workflow/", include("yigongti.core.workflow.api.urls")),
    path("workbench", include("yigongti.core.workbench.urls")),
    path("referral/", include("yigongti.centers.referral.api.urls")),
    path("referral/", include("yigongti.centers.referral.config.api.urls")),
    path("rx/", include("yigongti.centers.prescription_review.api.urls")),
    path("rx/", include("yigongti.centers.prescription_review.knowledge.api.urls")),
    path("rx/", include("yigongti.centers.prescription_review.engine.api.urls")),
    path("rx/", include("yigongti.centers.prescription_review.comment.api.urls")),
    re_path(r"^.*$", api_not_found),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
    path("oauth/", include("yigongti.platform.integration.oauth_urls")),  # OAuth2 token endpoint for hospital systems
    # The console is a single-page app: any other path that is not the API falls back to it.
    re_path(r"^(?!api/|static/|django-admin/).*$", console_index, name="console"),
]
