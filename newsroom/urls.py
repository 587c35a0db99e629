from django.conf import settings
from django.conf.urls.static import static as serve_folder
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from desk.login import AdminLoginForm
from newsroom.health import healthz

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Editorial desk"
admin.site.login_form = AdminLoginForm

handler500 = "newsroom.middleware.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    # Uploaded images and their renditions, served by Django only under `make run` (DEBUG):
    # nginx or the object store serves them otherwise (docs/operators.md, "Media storage").
    *serve_folder(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("api/", include("api.urls")),
    path("", include("public.urls")),
]
