"""
What an [[embed:URL]] may show: a video from YouTube or Vimeo, or a post on a social network.
Nothing of theirs loads with the page: a video is a link and a button, and only the reader's click
makes the site's own script (static/js/embeds.js) put the privacy-enhanced player in its place; a
post is a link card naming its network.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

# The script builds the same player addresses from the same link; frame-src allows these hosts.
PLAYER_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_MASTODON_POST = re.compile(r"^/@[A-Za-z0-9_.]+(@[A-Za-z0-9.-]+)?/[0-9]{1,20}/?$")
_HOST = re.compile(r"^[a-z0-9.-]+$")

SOCIAL_NETWORKS = {
    "x.com": "X",
    "twitter.com": "X",
    "bsky.app": "Bluesky",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "fb.watch": "Facebook",
    "tiktok.com": "TikTok",
}


@dataclass(frozen=True)
class Embed:
    kind: str  # "video" or "post"
    network: str
    url: str  # the address the link goes to
    player: str = ""  # a video's player, loaded on a click


def _host(parts) -> str:
    host = (parts.hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def read_embed(url: str) -> Embed | None:
    """The embed this address makes, or None when it is not one the body can show."""
    url = url.strip()
    if any(ord(character) <= 0x20 or character in "\\\"'<>" for character in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or port or parts.username or parts.password:
        return None
    host = _host(parts)
    if not host or not _HOST.match(host):
        return None
    video = _video(host, parts)
    if video is not None:
        return video
    network = SOCIAL_NETWORKS.get(host) or next(
        (name for domain, name in SOCIAL_NETWORKS.items() if host.endswith("." + domain)), None
    )
    if network is None and _MASTODON_POST.match(parts.path):
        network = "Mastodon"
    if network is None or parts.path in ("", "/"):
        return None
    return Embed(
        "post",
        network,
        f"https://{parts.netloc.lower()}{parts.path}" + (f"?{parts.query}" if parts.query else ""),
    )


def _video(host: str, parts) -> Embed | None:
    path = parts.path
    if host in ("youtube.com", "m.youtube.com", "youtube-nocookie.com", "youtu.be"):
        if host == "youtu.be":
            video_id = path.strip("/")
        elif path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        else:
            match = re.match(r"^/(?:embed|shorts|live|v)/([^/]+)/?$", path)
            video_id = match.group(1) if match else ""
        if not _YOUTUBE_ID.match(video_id):
            return None
        return Embed(
            "video",
            "YouTube",
            f"https://www.youtube.com/watch?v={video_id}",
            f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1",
        )
    if host in ("vimeo.com", "player.vimeo.com"):
        match = re.match(r"^/(?:video/)?([0-9]+)/?$", path)
        if not match or not _VIMEO_ID.match(match.group(1)):
            return None
        video_id = match.group(1)
        return Embed(
            "video",
            "Vimeo",
            f"https://vimeo.com/{video_id}",
            f"https://player.vimeo.com/video/{video_id}?dnt=1&autoplay=1",
        )
    return None
