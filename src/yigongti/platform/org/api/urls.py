from django.urls import path
from rest_framework.routers import SimpleRouter

from yigongti.platform.org.api import roster, views

router = SimpleRouter(trailing_slash=False)
router.register("communities", views.CommunityViewSet)
router.register("institutions", views.InstitutionViewSet)
router.register("departments", views.DepartmentViewSet)
router.register("posts", views.PostViewSet)
router.register("titles", views.TitleViewSet)
router.register("staff", views.StaffViewSet)
router.register("beds", views.BedViewSet)
router.register("equipment", views.EquipmentViewSet)
router.register("doctor-teams", views.FamilyDoctorTeamViewSet)

urlpatterns = [
    path(
        "institutions/<int:institution_id>/roster.pdf",
        roster.InstitutionRosterView.as_view(),
        name="org-institution-roster",
    ),
    *router.urls,
]
