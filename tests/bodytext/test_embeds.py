"""Embeds: which addresses make a video or a post, and the player hosts the CSP allows."""

import pytest
from django.conf import settings

from bodytext import read_embed
from bodytext.embeds import PLAYER_HOSTS


@pytest.mark.parametrize(
    "url, network, player",
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_videos_play_from_the_privacy_enhanced_players(url, network, player):
    embed = read_embed(url)
    assert (embed.kind, embed.network) == ("video", network)
    assert embed.player.startswith(player)
    assert embed.player.startswith(PLAYER_HOSTS)


def test_the_csp_lets_frames_come_from_the_players_alone():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert tuple(directives["frame-src"]) == PLAYER_HOSTS
    assert directives["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    "url",
    [
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ"',
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/abc",
        "https://mastodon.example/about",
        "https://example.org/@someone/111/../../admin",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        " javascript:alert(1)",
    ],
)
def test_anything_else_is_no_embed(url):
    assert read_embed(url) is None
