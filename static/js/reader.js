/*
 * Small reader comforts, all optional: the page works and reads the same without them.
 * - Times of the last day read "2 hours ago". Pages are cached for minutes, so the words are
 *   worked out here, in the reader's browser, from the precise datetime attribute; the printed
 *   date stays as the element's title, and is what readers without scripts see.
 * - The article's "Copy link" button copies its address; "Share…" opens the device's own share
 *   sheet where there is one (navigator.share). Nothing is loaded from anyone else.
 */
(function () {
  "use strict";

  var MINUTE = 60 * 1000;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;

  function ago(then, now) {
    var elapsed = now - then;
    if (elapsed < 0 || elapsed >= DAY) return null;
    if (elapsed < MINUTE) return "just now";
    if (elapsed < HOUR) {
      var minutes = Math.floor(elapsed / MINUTE);
      return minutes === 1 ? "1 minute ago" : minutes + " minutes ago";
    }
    var hours = Math.floor(elapsed / HOUR);
    return hours === 1 ? "1 hour ago" : hours + " hours ago";
  }

  function relativeTimes() {
    var now = Date.now();
    document.querySelectorAll("time[data-ago]").forEach(function (element) {
      if (!element.dataset.printed) element.dataset.printed = element.textContent;
      var words = ago(Date.parse(element.getAttribute("datetime")), now);
      element.textContent = words || element.dataset.printed;
      if (words) element.title = element.dataset.printed;
      else element.removeAttribute("title");
    });
  }

  function announce(control, message) {
    var status = control.closest(".share").querySelector(".share-status");
    if (status) status.textContent = message;
  }

  function copyLink(button) {
    var url = button.dataset.url;
    var done = function () { announce(button, "Link copied."); };
    var failed = function () { announce(button, "Could not copy: the address is " + url); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, failed);
      return;
    }
    // Plain HTTP (a local run) has no clipboard API: copy from a selected field instead.
    var field = document.createElement("textarea");
    field.value = url;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    try {
      if (document.execCommand("copy")) done(); else failed();
    } catch (error) {
      failed();
    }
    field.remove();
  }

  function shareControls() {
    document.querySelectorAll(".share [data-url]").forEach(function (button) {
      var native = button.classList.contains("share-native");
      if (native && !navigator.share) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        if (!native) {
          copyLink(button);
          return;
        }
        navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {
          /* the reader closed the share sheet */
        });
      });
    });
  }

  relativeTimes();
  window.setInterval(relativeTimes, MINUTE);
  shareControls();
})();
