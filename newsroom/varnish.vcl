vcl 4.1;
# Varnish (Debian's 7.1, with the xkey vmod from varnish-modules) in front of gunicorn: public pages
# are kept for their s-maxage and purged by the keys they carry (pagecache.edge; docs/operators.md,
# "Varnish or a CDN in front"). Fill in where the site is, and who else may purge, then start it:
#
#   sed -e 's/@BACKEND_HOST@/127.0.0.1/' -e 's/@BACKEND_PORT@/8000/' -e 's|@PURGE_FROM@||' \
#       newsroom/varnish.vcl > /etc/varnish/newsroom.vcl
#   varnishd -F -a :6081 -f /etc/varnish/newsroom.vcl -s malloc,1G -p http_resp_hdr_len=32k
#
# @PURGE_FROM@ is replaced by more entries of the purge ACL, each with its ";" (such as
# "10.0.0.0"/8; for app servers on that network), or by nothing when they run on this machine.
# The app purges with HTTP_CACHE_PURGE=varnish:http://<this host>:6081. A page lists every row it
# shows in its xkey header, which on a long list can outgrow Varnish's 8 KB default for a response
# header (the fetch would fail): hence http_resp_hdr_len.

import std;
import xkey;

backend default {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
    .connect_timeout = 3s;
    .first_byte_timeout = 30s;  # gunicorn's own timeout
}

acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    @PURGE_FROM@
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (!req.http.xkey) {
            return (synth(400, "No keys to purge: list them in the xkey header"));
        }
        # Hard purge: a withdrawn story must be gone, not served stale while it is fetched again.
        set req.http.purged = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.purged + " objects"));
    }
    # A client must not hand the app keys of its own, or claim to be a purger's answer.
    unset req.http.xkey;

    if (req.method != "GET" && req.method != "HEAD") {
        # gunicorn's sync workers must not wait on a slow client: the body is read whole first.
        if (req.http.Content-Length || req.http.Transfer-Encoding) {
            std.cache_req_body(3MB);
        }
        return (pass);
    }
    # Editors (their session) and API clients with a key may be shown what others must not see.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' other cookies (analytics, consent) change nothing the app sends them: without
    # this, every reader would get a copy of their own ("Vary: Cookie").
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Kept only when the app says so: a 200 with no cookie, public, for its s-maxage (or max-age).
    # Never longer: a page whose s-maxage ends when a scheduled story is due must not outlive it.
    if (beresp.status != 200
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)="
        || beresp.http.Vary == "*"
        || beresp.ttl <= 0s) {
        # Hit-for-miss: the next requests for it go to the app at once, not queued behind this one,
        # and the first cacheable answer among them is kept.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.grace = 0s;
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for Varnish alone (a CDN in front reads its own header, Surrogate-Key or Cache-Tag).
    unset resp.http.xkey;
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
