from rest_framework.routers import SimpleRouter

from yigongti.platform.files.api import views

router = SimpleRouter(trailing_slash=False)
router.register("attachments", views.AttachmentViewSet)

urlpatterns = router.urls
