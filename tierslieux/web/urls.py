from django.urls import path

from tierslieux.web import views

app_name = "web"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
