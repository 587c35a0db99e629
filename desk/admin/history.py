"""The article admin's revision history: compare revisions, restore one, recover deleted articles."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from reversion.models import Version

from articles import revisions, workflow
from articles.models import Article
from desk.admin.pages import admin_page


class RevisionHistory:
    """Revisions as editors read them, and the rules for restoring and recovering."""

    # Revision history: a readable difference between revisions, and restoring one.

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(Article, pk=object_id)
        versions = list(revisions.article_versions(article))
        context = {
            "versions": versions,
            "article": article,
            "can_restore": workflow.can_edit(request.user, article),
        }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def compare_view(self, request, object_id):
        """Two revisions side by side as one text: removed words struck out, added words marked."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = revisions.article_versions(article)

        def snapshot(key):
            if key in (None, "", revisions.CURRENT):
                return None, revisions.snapshot_of_article(article)
            version = get_object_or_404(versions, pk=key)
            return version, revisions.snapshot_of_version(version)

        old_version, old = snapshot(request.GET.get("from"))
        new_version, new = snapshot(request.GET.get("to"))
        return admin_page(
            self,
            request,
            "admin/articles/article/compare.html",
            f"Compare revisions: {article}",
            {
                "article": article,
                "old_version": old_version,
                "new_version": new_version,
                "fields": revisions.compare(old, new),
            },
        )

    def recoverlist_view(self, request, extra_context=None):
        # Deleted articles are read and brought back only by those who may delete them: a
        # reporter holds "add", which is all django-reversion asks for.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        # Only the last version of a deleted article: any other version id would revert whatever
        # revision it belongs to.
        get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """An earlier revision compared with the article as it is now, and a button to restore it."""
        article = get_object_or_404(Article, pk=object_id)
        version = get_object_or_404(revisions.article_versions(article), pk=version_id)
        can_restore = workflow.can_edit(request.user, article)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            revisions.restore(request.user, article, version)
            self.message_user(
                request,
                f"Restored the revision of {version.revision.date_created:%Y-%m-%d %H:%M}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(article))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return admin_page(
            self,
            request,
            "admin/articles/article/revision.html",
            f"Revision of {version.revision.date_created:%Y-%m-%d %H:%M}: {article}",
            {
                "article": article,
                "version": version,
                "can_restore": can_restore,
                "fields": revisions.compare(
                    revisions.snapshot_of_article(article), revisions.snapshot_of_version(version)
                ),
            },
        )
