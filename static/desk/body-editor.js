/*
 * The article body's toolbar: writes the body's Markdown for the editor (docs/editors.md).
 * Everything it does can be typed by hand; without this script the textarea works as it is.
 */
(function () {
  "use strict";

  // The addresses the body may link to (bodytext.link_problem decides on the server as well).
  var SAFE_LINK = /^(https?:\/\/[^\s\/?#@\\]+([\/?#][^\s\\]*)?|mailto:\S+|tel:[+\d][\d\s().-]*|\/(?![\/\\])[^\s\\]*|#\S+)$/i;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function changed(area) {
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  function wrap(area, marker, placeholder) {
    var start = area.selectionStart, end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || placeholder;
    // Markers hug the words: spaces selected with them stay outside.
    var lead = chosen.match(/^\s*/)[0], trail = chosen.match(/\s*$/)[0];
    var words = chosen.trim() || placeholder;
    area.setRangeText(lead + marker + words + marker + trail, start, end, "select");
    area.setSelectionRange(start + lead.length + marker.length, start + lead.length + marker.length + words.length);
    changed(area);
  }

  function prefixLines(area, prefix) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = value.indexOf("\n", area.selectionEnd);
    if (end === -1 || area.selectionEnd === area.selectionStart && end < area.selectionEnd) { end = value.length; }
    var lines = value.slice(start, end).split("\n");
    var number = 0;
    var text = lines.map(function (line) {
      if (!line.trim()) { return line; }
      number += 1;
      var bare = line.replace(/^(#{1,6} |[-+*] |\d{1,9}[.)] |> )/, "");
      return (typeof prefix === "function" ? prefix(number) : prefix) + bare;
    }).join("\n");
    area.setRangeText(text, start, end, "select");
    changed(area);
  }

  function insertBlock(area, block) {
    // A picture, an embed or a pull quote stands alone, with a blank line before and after.
    var value = area.value, at = area.selectionEnd;
    var before = value.slice(0, at), after = value.slice(at);
    var head = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var tail = after === "" || /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
    area.setRangeText(head + block + tail, at, at, "end");
    changed(area);
  }

  function link(area) {
    var address = window.prompt("Link address (https://…, mailto:…, or /a-page-of-this-site/):", "https://");
    if (address === null) { return; }
    address = address.trim();
    if (!SAFE_LINK.test(address)) {
      window.alert("That address cannot be linked: use one starting with https://, http://, mailto:, tel: or /.");
      return;
    }
    var start = area.selectionStart, end = area.selectionEnd;
    var words = area.value.slice(start, end).trim() || "link text";
    area.setRangeText("[" + words.replace(/([\[\]])/g, "\\$1") + "](" + address.replace(/([()])/g, "\\$1") + ")", start, end, "end");
    changed(area);
  }

  function embed(area) {
    var address = window.prompt("Address of the YouTube or Vimeo video, or of the post (X, Bluesky, Mastodon, Instagram, Facebook, TikTok):", "https://");
    if (address === null) { return; }
    address = address.trim();
    if (!/^https:\/\/[^\s\]]+$/i.test(address)) {
      window.alert("Paste the video's or post's full address, starting with https://.");
      return;
    }
    insertBlock(area, "[[embed:" + address + "]]");
  }

  function quotesOnPage(form) {
    var quotes = [];
    form.querySelectorAll("textarea[name^='quotes-'][name$='-text']").forEach(function (text) {
      var prefix = text.name.slice(0, -"text".length);
      var order = form.querySelector("[name='" + prefix + "order']");
      var gone = form.querySelector("[name='" + prefix + "DELETE']");
      if (text.value.trim() && order && /^\d+$/.test(order.value) && !(gone && gone.checked)) {
        quotes.push({ order: order.value, text: text.value.trim() });
      }
    });
    return quotes;
  }

  function panel(editor, title) {
    var old = editor.querySelector(".body-editor-panel");
    if (old) { old.remove(); }
    var box = el("div", { "class": "body-editor-panel", role: "group", "aria-label": title });
    box.appendChild(el("strong", {}, title));
    var close = el("button", { type: "button", "class": "body-editor-close" }, "Close");
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    editor.insertBefore(box, editor.querySelector("textarea"));
    return box;
  }

  function pullQuote(area, editor) {
    var box = panel(editor, "Pull quote: choose one of the article's quotes");
    var quotes = quotesOnPage(area.form);
    if (!quotes.length) {
      box.appendChild(el("p", {}, "The article has no quotes with an Order yet: add one under Quotes below, then choose it here."));
      return;
    }
    var list = el("ul", {});
    quotes.forEach(function (quote) {
      var item = el("li", {});
      var choose = el("button", { type: "button", "class": "body-editor-choice" }, quote.order + ". “" + quote.text.slice(0, 90) + "”");
      choose.addEventListener("click", function () { insertBlock(area, "[[pullquote:" + quote.order + "]]"); box.remove(); });
      item.appendChild(choose);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function image(area, editor) {
    var box = panel(editor, "Picture from the library");
    var search = el("input", { type: "search", "class": "body-editor-search", "aria-label": "Search the image library", placeholder: "Search the library…" });
    var results = el("ul", { "class": "body-editor-images" });
    box.appendChild(search);
    box.appendChild(results);
    function load() {
      var url = area.dataset.imagesUrl + "?q=" + encodeURIComponent(search.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          results.textContent = "";
          if (!data.results || !data.results.length) { results.appendChild(el("li", {}, "No pictures found.")); }
          (data.results || []).forEach(function (found) {
            var item = el("li", {});
            var choose = el("button", { type: "button", "class": "body-editor-choice" });
            if (found.thumbnail) { choose.appendChild(el("img", { src: found.thumbnail, alt: "", width: "48", height: "48" })); }
            choose.appendChild(document.createTextNode(" " + found.id + ". " + found.title + (found.described ? "" : " (no alt text yet)")));
            choose.addEventListener("click", function () { insertBlock(area, "[[image:" + found.id + "]]"); box.remove(); });
            item.appendChild(choose);
            results.appendChild(item);
          });
        })
        .catch(function () { results.textContent = "The library could not be searched: try again."; });
    }
    var timer = null;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    load();
    search.focus();
  }

  function preview(area, editor, output) {
    var data = new FormData(area.form);
    data.set("body", area.value);
    if (area.dataset.article) { data.set("article", area.dataset.article); }
    output.hidden = false;
    output.textContent = "Rendering the preview…";
    fetch(area.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        output.textContent = "";
        output.appendChild(el("p", { "class": "body-preview-title" }, "Preview: the body as readers will see it"));
        (result.problems || []).forEach(function (problem) {
          output.appendChild(el("p", { "class": "errornote" }, problem));
        });
        if (result.error) { output.appendChild(el("p", { "class": "errornote" }, result.error)); }
        var page = el("div", { "class": "article-body" });
        // Rendered and sanitised (nh3) by the server, the same HTML as the public page.
        page.innerHTML = result.html || "";
        output.appendChild(page);
      })
      .catch(function () { output.textContent = "The preview could not be rendered: try again."; });
  }

  function setUp(area) {
    var editor = el("div", { "class": "body-editor" });
    area.parentNode.insertBefore(editor, area);
    var toolbar = el("div", { "class": "body-editor-toolbar", role: "toolbar", "aria-label": "Body formatting" });
    var output = el("div", { "class": "body-preview", hidden: "" });
    var buttons = [
      ["Bold", "Bold (Ctrl+B)", function () { wrap(area, "**", "bold text"); }],
      ["Italic", "Italic (Ctrl+I)", function () { wrap(area, "*", "italic text"); }],
      ["Link", "Link the selected words", function () { link(area); }],
      ["Subhead", "Make the line a subhead", function () { prefixLines(area, "## "); }],
      ["List", "Bulleted list", function () { prefixLines(area, "- "); }],
      ["Numbered", "Numbered list", function () { prefixLines(area, function (n) { return n + ". "; }); }],
      ["Quote", "Blockquote", function () { prefixLines(area, "> "); }],
      ["Image", "Picture from the library", function () { image(area, editor); }],
      ["Embed", "Video or social post", function () { embed(area); }],
      ["Pull quote", "Pull quote", function () { pullQuote(area, editor); }],
      ["Preview", "Preview the body", function () { preview(area, editor, output); }]
    ];
    buttons.forEach(function (spec) {
      var button = el("button", { type: "button", title: spec[1], "class": "body-editor-button" }, spec[0]);
      button.addEventListener("click", spec[2]);
      toolbar.appendChild(button);
    });
    editor.appendChild(toolbar);
    editor.appendChild(area);
    editor.appendChild(output);
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
      var key = event.key.toLowerCase();
      if (key === "b") { event.preventDefault(); wrap(area, "**", "bold text"); }
      if (key === "i") { event.preventDefault(); wrap(area, "*", "italic text"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-body-editor]").forEach(setUp);
  });
}());
