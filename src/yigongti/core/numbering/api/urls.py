from rest_framework.routers import SimpleRouter

from yigongti.core.numbering.api import views

router = SimpleRouter(trailing_slash=False)
router.register("rules", views.NumberRuleViewSet)

urlpatterns = router.urls
