"""The revenue dashboard (mounted under /manage/<slug>/revenue/, namespace "revenue")."""

from django.urls import path

from tierslieux.billing import revenue_views

urlpatterns = [path("", revenue_views.dashboard, name="dashboard")]
