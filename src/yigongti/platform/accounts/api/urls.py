from django.urls import path
from rest_framework.routers import SimpleRouter

from yigongti.platform.accounts.api import views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet)
router.register("roles", views.RoleViewSet)
router.register("sessions", views.UserSessionViewSet)

urlpatterns = [
    path("permission-tree", views.PermissionTreeView.as_view(), name="permission-tree"),
    *router.urls,
]
