from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.health import healthz

admin.site.site_header = "Newsroom administration"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]
