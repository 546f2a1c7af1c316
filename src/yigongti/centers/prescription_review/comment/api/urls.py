from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from yigongti.centers.prescription_review.comment.api import views, views_review

router = SimpleRouter(trailing_slash=False)
router.register("comment/visits", views.VisitViewSet, basename="rx-comment-visit")
router.register("comment/sampling-policies", views.SamplingPolicyViewSet, basename="rx-comment-policy")
router.register("comment/condition-templates", views.ConditionTemplateViewSet, basename="rx-comment-template")
router.register("comment/pharmacist-groups", views.PharmacistGroupViewSet, basename="rx-comment-group")
router.register("comment/reasons", views.ReasonTemplateViewSet, basename="rx-comment-reason")
router.register("comment/reply-templates", views.ReplyTemplateViewSet, basename="rx-comment-reply")
router.register("comment/projects", views.CommentProjectViewSet, basename="rx-comment-project")
router.register("comment/tasks", views.CommentTaskViewSet, basename="rx-comment-task")
router.register("comment/samples", views_review.SampleViewSet, basename="rx-comment-sample")
router.register("comment/appeals", views_review.AppealViewSet, basename="rx-comment-appeal")

urlpatterns: list[URLPattern | URLResolver] = [
    path("comment/statistics", views_review.StatisticsView.as_view(), name="rx-comment-statistics"),
    path("supervision", views_review.SupervisionView.as_view(), name="rx-supervision"),
    *router.urls,
]
