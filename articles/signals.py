from django.dispatch import Signal

# Sent after changes to content that send no model signals (a bulk update, a merge of tags, a
# rebuild of search documents), with ``using``: the database they were made in. The page cache
# listens, so nothing here needs to know that there is one.
content_changed = Signal()
