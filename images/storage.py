"""What a media storage raises when it cannot take a file: the folder or the object store failing."""

from botocore.exceptions import BotoCoreError, ClientError

# OSError: a full or read-only media folder. BotoCoreError: an object store not answering or
# refusing the connection. ClientError: one answering with an error (credentials, a missing bucket).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

UNAVAILABLE = (
    "The picture could not be stored: the media storage did not take it ({error}). Nothing was saved; "
    "try again in a minute, and tell the site's operators if it keeps happening."
)
