"""The OAuth2 endpoints hospital systems need (mounted at /oauth/): token and revoke only.

No authorization, device, application-management or OIDC views: clients are created through
``/api/v1/integration/clients`` and use the client-credentials grant.
"""

from django.urls import path
from oauth2_provider import views

app_name = "oauth2_provider"

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    path("token", views.TokenView.as_view(), name="token-no-slash"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
]
