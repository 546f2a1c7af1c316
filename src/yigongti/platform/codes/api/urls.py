from rest_framework.routers import SimpleRouter

from yigongti.platform.codes.api import views

router = SimpleRouter(trailing_slash=False)
router.register("dictionaries", views.DictionaryViewSet)
router.register("entries", views.DictionaryEntryViewSet)
router.register("parameters", views.ParameterViewSet)
router.register("parameter-values", views.ParameterValueViewSet)
router.register("data-elements", views.DataElementViewSet)

urlpatterns = router.urls
