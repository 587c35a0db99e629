"""
Sources: what editors record about the people they quote (on the person's form), the desk's
targets, and the dashboard of whom the newsroom quotes (sources.dashboard counts and draws it).
Editors see the newsroom; reporters only their own stories.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path

from articles import workflow
from desk.admin.pages import admin_page
from sources import dashboard, reports
from sources.forms import DashboardFilters
from sources.models import SourceProfile, Target


class SourceProfileInline(admin.StackedInline):
    model = SourceProfile
    can_delete = False
    max_num = 1
    fields = (("gender", "gender_basis"), "source_type", "place")
    verbose_name_plural = "Source record (staff only, never published)"


def scope(request):
    """None for the whole newsroom (editors), or the reporter whose own stories are counted."""
    if workflow.is_editor(request.user):
        return None
    if request.user.is_active and request.user.has_perm("articles.view_article"):
        return request.user
    raise PermissionDenied


def story_panel(request, article):
    """A story's sources, for its form: to editors and the story's own reporters only."""
    if workflow.is_editor(request.user) or workflow.is_owner(request.user, article):
        return reports.story_sources(article)
    return None


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("name", "measure", "dimension", "category", "share", "period", "section")
    list_filter = ("dimension", "period", "section")
    change_list_template = "admin/sources/target/change_list.html"

    def get_urls(self):
        return [
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="sources_dashboard"),
            path("dashboard.csv", self.admin_site.admin_view(self.csv_view), name="sources_dashboard_csv"),
        ] + super().get_urls()

    def dashboard_view(self, request):
        """Whom we quote: shares by gender and source type, per month, section and author."""
        user, form = scope(request), DashboardFilters(request.GET or None)
        context = {"form": form, "own_stories": user is not None, "csv_query": request.GET.urlencode()}
        if form.is_bound and not form.is_valid():
            return admin_page(self, request, "admin/sources/dashboard.html", "Sources", context, status=400)
        title = "My sources" if user is not None else "Sources: whom we quote"
        context.update(dashboard.context(form, user))
        return admin_page(self, request, "admin/sources/dashboard.html", title, context)

    def csv_view(self, request):
        """The dashboard's tables, one row per group and category, for a spreadsheet."""
        user, form = scope(request), DashboardFilters(request.GET or None)
        if form.is_bound and not form.is_valid():
            errors = " ".join(error for errors in form.errors.values() for error in errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sources.csv"'
        dashboard.write_csv(dashboard.breakdowns(form, user)[1], response)
        return response
