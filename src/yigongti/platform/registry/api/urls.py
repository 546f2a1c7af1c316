from rest_framework.routers import SimpleRouter

from yigongti.platform.registry.api import views

router = SimpleRouter(trailing_slash=False)
router.register("residents", views.ResidentViewSet)
router.register("chronic-diseases", views.ChronicDiseaseViewSet)

urlpatterns = router.urls
