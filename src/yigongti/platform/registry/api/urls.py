from rest_framework.routers import SimpleRouter

from yigongti.platform.registry.api import mpi_views, views

router = SimpleRouter(trailing_slash=False)
router.register("residents", views.ResidentViewSet)
router.register("chronic-diseases", views.ChronicDiseaseViewSet)
router.register("registrations", mpi_views.RegistrationViewSet, basename="mpi-registration")
router.register("review-queue", mpi_views.ReviewQueueViewSet, basename="mpi-review")
router.register("merges", mpi_views.MergeViewSet, basename="mpi-merge")
router.register("identifiers", mpi_views.IdentifierViewSet, basename="mpi-identifier")
router.register("link-rules", mpi_views.LinkRuleViewSet, basename="mpi-link-rule")

urlpatterns = router.urls
