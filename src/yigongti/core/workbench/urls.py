from django.urls import path

from yigongti.core.workbench.api.views import WorkbenchView

urlpatterns = [path("", WorkbenchView.as_view(), name="workbench")]
