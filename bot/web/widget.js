/* tastebud chat widget: one script tag adds a floating chat bubble that talks to the tastebud API.

     <script src="https://YOUR-TASTEBUD-HOST/widget.js" data-item-id="movie:wp:Arrival_(film)" defer></script>

   data-item-id  optional: a catalog id; the conversation starts from "more like this"
   data-title    optional: the panel's title (default "Ask tastebud")
   data-domain   optional: any | movie | book | music
   data-api      optional: the API's base URL (default: where this script came from)
   data-open     optional: "true" opens the panel on load

   Everything the server sends is shown with textContent, never as HTML; links are kept only
   when they are http(s). The widget lives in a shadow root so the page's CSS cannot reach it.
*/
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__tastebudWidget) return;
  window.__tastebudWidget = true;

  var data = script.dataset || {};
  var api = (data.api || new URL(script.src, window.location.href).origin).replace(/\/+$/, "");
  var itemId = data.itemId || null;
  var domain = /^(any|movie|book|music)$/.test(data.domain || "") ? data.domain : null;
  var storageKey = "tastebud-session:" + api;
  var sessionId = null;
  var started = false;
  var busy = false;
  try { sessionId = window.sessionStorage.getItem(storageKey); } catch (e) { sessionId = null; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Icons are inline SVG paths (emoji fonts are missing on some systems).
  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }
  var THUMB_UP = "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 " +
    "6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z";
  var THUMB_DOWN = "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1L17.4 16.4c.4-.4.6-.9.6-1.4V5" +
    "a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z";

  function safeHref(url) {
    try {
      var u = new URL(String(url || ""));
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function remember(id) {
    sessionId = id;
    try {
      if (id) window.sessionStorage.setItem(storageKey, id);
      else window.sessionStorage.removeItem(storageKey);
    } catch (e) { /* storage may be blocked; the session then lasts as long as the page */ }
  }

  // -- the DOM ---------------------------------------------------------------------------
  var host = el("div");
  host.id = "tastebud-widget";
  var root = host.attachShadow({ mode: "open" });
  var css = el("link");
  css.rel = "stylesheet";
  css.href = api + "/widget.css";
  root.appendChild(css);

  var bubble = el("button", "bubble");
  bubble.appendChild(icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"));
  bubble.type = "button";
  bubble.setAttribute("aria-label", "Chat with tastebud");
  bubble.setAttribute("aria-expanded", "false");

  var panel = el("section", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", data.title || "Ask tastebud");
  var header = el("header", "head");
  header.appendChild(el("strong", "title", data.title || "Ask tastebud"));
  var forget = el("button", "link", "Forget me");
  forget.type = "button";
  forget.title = "Delete this conversation from the server";
  var close = el("button", "close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close");
  header.appendChild(forget);
  header.appendChild(close);
  var log = el("div", "log");
  log.setAttribute("aria-live", "polite");
  var quick = el("div", "quick");
  var form = el("form", "form");
  var input = el("input", "input");
  input.type = "text";
  input.maxLength = 1000;
  input.placeholder = "What do you feel like?";
  input.setAttribute("aria-label", "Message");
  var send = el("button", "send", "Send");
  send.type = "submit";
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(quick);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(bubble);

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function say(role, text) {
    var m = el("div", "msg " + role, text);
    log.appendChild(m);
    scrollDown();
    return m;
  }

  function cardFor(rec) {
    var c = el("article", "card");
    c.appendChild(el("h4", "card-title", rec.rank + ". " + rec.title));
    var facts = [rec.domain];
    if (rec.year) facts.push(String(rec.year));
    if (rec.creators && rec.creators.length) facts.push(rec.creators.slice(0, 3).join(", "));
    c.appendChild(el("div", "meta", facts.join(" · ")));
    if (rec.explanation) c.appendChild(el("p", "why", rec.explanation));
    if (rec.description) c.appendChild(el("p", "desc", rec.description));
    var foot = el("div", "foot");
    var href = safeHref(rec.url);
    if (href) {
      var a = el("a", "src", rec.license || "source");
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      foot.appendChild(a);
    } else {
      foot.appendChild(el("span", "src", rec.license || ""));
    }
    [[THUMB_UP, true, "More like this"], [THUMB_DOWN, false, "Not for me"]].forEach(function (t) {
      var b = el("button", "thumb");
      b.appendChild(icon(t[0]));
      b.type = "button";
      b.title = t[2];
      b.setAttribute("aria-label", t[2] + ": " + rec.title);
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", function () { thumb(rec, t[1], b, c); });
      foot.appendChild(b);
    });
    c.appendChild(foot);
    return c;
  }

  function showQuick(replies) {
    quick.textContent = "";
    (replies || []).forEach(function (q) {
      var b = el("button", "chip", q);
      b.type = "button";
      b.addEventListener("click", function () { chat(q); });
      quick.appendChild(b);
    });
  }

  // -- talking to the API -----------------------------------------------------------------
  function call(method, path, body) {
    return fetch(api + path, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) {
        if (!r.ok) {
          var err = new Error(json.error || "the server answered " + r.status);
          err.status = r.status;
          throw err;
        }
        return json;
      });
    });
  }

  function chat(message, startItem) {
    if (busy) return;
    busy = true;
    send.disabled = true;
    if (message) say("user", message);
    var wait = say("bot pending", "…");
    var body = { session_id: sessionId, message: message || "" };
    if (startItem) body.item_id = startItem;
    if (domain && !sessionId) body.domain = domain;
    call("POST", "/api/chat", body)
      .catch(function (err) {
        if (err.status === 404 && body.session_id) {  // forgotten elsewhere: start afresh once
          remember(null);
          body.session_id = null;
          return call("POST", "/api/chat", body);
        }
        throw err;
      })
      .then(function (res) {
        remember(res.session_id);
        wait.remove();
        var reply = say("bot", res.reply);
        var list = el("div", "cards");
        (res.recommendations || []).forEach(function (rec) { list.appendChild(cardFor(rec)); });
        log.appendChild(list);
        showQuick(res.quick_replies);
        log.scrollTop = reply.offsetTop - 8;  // show the answer from its first line
      })
      .catch(function (err) {
        wait.remove();
        say("bot error", "Sorry, that did not work: " + err.message);
      })
      .then(function () {
        busy = false;
        send.disabled = false;
      });
  }

  function thumb(rec, liked, button, cardNode) {
    if (!sessionId) return;
    call("POST", "/api/feedback", { session_id: sessionId, item_id: rec.id, liked: liked })
      .then(function () {
        cardNode.querySelectorAll(".thumb").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        button.setAttribute("aria-pressed", "true");
        cardNode.classList.toggle("disliked", !liked);
      })
      .catch(function (err) { say("bot error", "Could not save that: " + err.message); });
  }

  function forgetMe() {
    var id = sessionId;
    remember(null);
    log.textContent = "";
    showQuick([]);
    if (!id) { say("bot", "There is nothing to forget yet."); return; }
    call("DELETE", "/api/sessions/" + encodeURIComponent(id))
      .then(function () { say("bot", "Done: this conversation is deleted from the server."); })
      .catch(function (err) {
        if (err.status === 404) say("bot", "Done: the server had nothing left of it.");
        else say("bot error", "Could not delete it: " + err.message);
      });
  }

  function open() {
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    if (!started) {
      started = true;
      if (itemId) {
        say("user", "More like this one, please.");
        chat("", itemId);
      } else {
        say("bot", "Tell me something you like (a film, a book, an album, a mood) and I'll suggest a few.");
      }
    }
    input.focus();
  }

  function hide() {
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
    bubble.focus();
  }

  bubble.addEventListener("click", function () { if (panel.hidden) open(); else hide(); });
  close.addEventListener("click", hide);
  forget.addEventListener("click", forgetMe);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    chat(text);
  });

  function mount() {
    document.body.appendChild(host);
    if (data.open === "true") open();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
