from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from yigongti.centers.prescription_review.api import views
from yigongti.centers.prescription_review.api.views_his import HisPrescriptionViewSet

router = SimpleRouter(trailing_slash=False)
router.register("his/prescriptions", HisPrescriptionViewSet, basename="rx-his-prescription")
router.register("prescriptions", views.PrescriptionViewSet, basename="rx-prescription")
router.register("checks", views.CheckRecordViewSet, basename="rx-check")
router.register("tasks", views.ReviewTaskViewSet, basename="rx-task")
router.register("configs", views.RxCenterConfigViewSet, basename="rx-config")
router.register("schemes", views.ReviewSchemeViewSet, basename="rx-scheme")
router.register("scheme-items", views.ReviewSchemeItemViewSet, basename="rx-scheme-item")
router.register("duties", views.PharmacistDutyViewSet, basename="rx-duty")
router.register("quick-replies", views.QuickReplyViewSet, basename="rx-quick-reply")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
