/*
 * Videos in article bodies load only when a reader asks: the page holds a link to the video and
 * a button; a click puts the privacy-enhanced player (youtube-nocookie, Vimeo with dnt) in place.
 * Nothing from the video site loads before. The player address is built here from the link, and
 * only for these two players, which the Content-Security-Policy's frame-src allows.
 */
(function () {
  "use strict";

  function player(href) {
    var url;
    try { url = new URL(href); } catch (error) { return null; }
    if (url.protocol !== "https:") { return null; }
    var youtube = url.hostname === "www.youtube.com" && url.pathname === "/watch" && url.searchParams.get("v");
    if (youtube && /^[A-Za-z0-9_-]{11}$/.test(youtube)) {
      return "https://www.youtube-nocookie.com/embed/" + youtube + "?autoplay=1";
    }
    var vimeo = url.hostname === "vimeo.com" && url.pathname.match(/^\/(\d{1,12})$/);
    if (vimeo) { return "https://player.vimeo.com/video/" + vimeo[1] + "?dnt=1&autoplay=1"; }
    return null;
  }

  function setUp(figure) {
    var link = figure.querySelector("a.embed-link");
    var button = figure.querySelector("button.embed-play");
    var source = link && player(link.href);
    if (!source || !button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = source;
      frame.title = link.textContent;
      frame.className = "embed-frame";
      frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      button.replaceWith(frame);
      frame.focus();
    });
  }

  document.querySelectorAll("figure.embed-video").forEach(setUp);
}());
