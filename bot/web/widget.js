/* tastebud chat widget: one script tag adds a floating chat bubble that talks to the tastebud API.

     <script src="https://YOUR-TASTEBUD-HOST/widget.js" data-item-id="movie:wp:Arrival_(film)" defer></script>

   data-item-id  optional: a catalog id; the conversation starts from "more like this"
   data-title    optional: the panel's title (default "Ask tastebud")
   data-domain   optional: any | movie | book | music
   data-api      optional: the API's base URL (default: where this script came from)
   data-open     optional: "true" opens the panel on load

   Everything the server sends is shown with textContent, never as HTML; links are kept only
   when they are http(s). The widget lives in a shadow root so the page's CSS cannot reach it.
   Each answer is scrolled into view from its start; a polite live region reads it out; the
   "what I understood" bar lists the tags (a thumbs-down included) and × drops one.
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
  panel.id = "tastebud-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", data.title || "Ask tastebud");
  bubble.setAttribute("aria-controls", panel.id);
  var header = el("div", "head");
  header.appendChild(el("h2", "title", data.title || "Ask tastebud"));
  var forget = el("button", "link", "Forget me…");
  forget.type = "button";
  forget.setAttribute("aria-expanded", "false");
  var close = el("button", "close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close");
  header.appendChild(forget);
  header.appendChild(close);
  // "Forget me" asks first, inline, and then says what was deleted.
  var confirmBar = el("div", "confirm");
  confirmBar.hidden = true;
  confirmBar.appendChild(el("p", "confirm-text",
    "Delete this conversation, what it showed you and your thumbs from the server? This cannot be undone."));
  var yes = el("button", "danger", "Yes, delete it");
  yes.type = "button";
  var no = el("button", "plain", "Cancel");
  no.type = "button";
  confirmBar.appendChild(yes);
  confirmBar.appendChild(no);
  var tagsBar = el("details", "tags");
  var tagsSummary = el("summary", "tags-summary");
  var tagsList = el("ul", "chips");
  tagsBar.appendChild(tagsSummary);
  tagsBar.appendChild(tagsList);
  var log = el("div", "log");
  log.setAttribute("role", "region");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;  // scrollable by keyboard even before it holds a button
  var status = el("div", "sr");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.setAttribute("aria-atomic", "true");
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
  [header, confirmBar, tagsBar, log, status, quick, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);
  root.appendChild(bubble);
  showTags([]);

  function say(role, text) {
    var m = el("div", "msg " + role, text);
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }

  function announce(text) { status.textContent = text; }

  function thumbButton(rec, liked, card) {
    var name = liked ? "More like this" : "Not for me";
    var b = el("button", "thumb " + (liked ? "up" : "down"));
    b.appendChild(icon(liked ? THUMB_UP : THUMB_DOWN));
    b.appendChild(el("span", "thumb-text", name));
    b.type = "button";
    b.title = name;
    b.setAttribute("aria-label", name + ": " + rec.title);
    b.setAttribute("aria-pressed", "false");
    b.dataset.item = rec.id;
    b.addEventListener("click", function () { thumb(rec, liked, card); });
    return b;
  }

  // A compact card: title and year, creators, the why, thumbs (up, then down), source; description folded.
  function cardFor(rec) {
    var c = el("li", "card");
    c.dataset.item = rec.id;
    var title = el("h3", "card-title", rec.rank + ". " + rec.title);
    if (rec.year) title.appendChild(el("span", "year", " · " + rec.year));
    c.appendChild(title);
    var facts = [rec.domain === "movie" ? "film" : rec.domain === "music" ? "album" : rec.domain];
    if (rec.creators && rec.creators.length) facts.push(rec.creators.slice(0, 3).join(", "));
    c.appendChild(el("p", "meta", facts.join(" · ")));
    if (rec.explanation) c.appendChild(el("p", "why", rec.explanation));
    c.appendChild(el("p", "verdict"));
    var foot = el("div", "foot");
    foot.appendChild(thumbButton(rec, true, c));
    foot.appendChild(thumbButton(rec, false, c));
    if (rec.description) {
      var more = el("details", "more");
      more.appendChild(el("summary", null, "About it"));
      more.appendChild(el("p", "desc", rec.description));
      foot.appendChild(more);
    }
    c.appendChild(foot);
    var src = el("p", "source");
    var href = safeHref(rec.url);
    var label = rec.source || rec.license || "source";
    if (href) {
      var a = el("a", "src", label);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      src.appendChild(a);
    } else {
      src.appendChild(el("span", "src", label));
    }
    var licence = String(rec.license || "").replace(/\s*\([^)]*\)\s*$/, "");
    if (href && licence) src.appendChild(el("span", "licence", " · " + licence));
    c.appendChild(src);
    return c;
  }

  // Cards show the verdict the server holds: pressed thumb, and a line saying what it does.
  function showVerdicts(tags) {
    var up = {}, down = {};
    (tags || []).forEach(function (t) {
      if (t.kind === "liked_items") up[t.value] = true;
      if (t.kind === "rejected" || t.kind === "disliked_items") down[t.value] = true;
    });
    log.querySelectorAll(".card").forEach(function (c) {
      var id = c.dataset.item;
      var verdict = up[id] ? true : down[id] ? false : null;
      c.classList.toggle("liked", verdict === true);
      c.classList.toggle("disliked", verdict === false);
      c.querySelector(".verdict").textContent = verdict === true ? "You liked this: more like it."
        : verdict === false ? "Turned down: it won't be suggested again." : "";
      c.querySelectorAll(".thumb").forEach(function (b) {
        b.setAttribute("aria-pressed", String(verdict !== null && b.classList.contains("up") === verdict));
      });
    });
  }

  function showTags(tags) {
    tags = tags || [];
    tagsSummary.textContent = "";
    tagsSummary.appendChild(el("span", "tags-title", "What I understood"));
    tagsSummary.appendChild(el("span", "count", " (" + tags.length + ")"));
    tagsList.textContent = "";
    if (!tags.length) tagsList.appendChild(el("li", "none", "Nothing yet: tell me what you like."));
    tags.forEach(function (t) {
      var chip = el("li", "chip " + String(t.group || "").toLowerCase());
      var group = t.group_label || t.group;  // in the user's language; t.group is the stable key
      chip.appendChild(el("span", "group", group + ":"));
      chip.appendChild(el("span", "label", t.label));
      var x = el("button", "x", "×");
      x.type = "button";
      x.title = "Drop this";
      x.setAttribute("aria-label", "Drop " + group + ": " + t.label);
      x.addEventListener("click", function () { dropTag(t); });
      chip.appendChild(x);
      tagsList.appendChild(chip);
    });
    showVerdicts(tags);
  }

  function showQuick(replies) {
    quick.textContent = "";
    (replies || []).forEach(function (q) {
      var b = el("button", "chip-button", q);
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

  // One answer: the reply, then its cards; scrolled so the reply and the first pick are in view.
  function showAnswer(res, userNode) {
    remember(res.session_id);
    var reply = say("bot reply", res.reply_pending ? "…" : res.reply);
    if (res.reply_pending) reply.setAttribute("aria-busy", "true");  // the LLM is still writing it
    var list = el("ol", "cards");
    list.setAttribute("aria-label", "Picks");
    (res.recommendations || []).forEach(function (rec) { list.appendChild(cardFor(rec)); });
    log.appendChild(list);
    showQuick(res.quick_replies);
    showTags(res.tags);
    var lead = userNode && reply.offsetTop + reply.offsetHeight - userNode.offsetTop < log.clientHeight * 0.3
      ? userNode : reply;
    log.scrollTop = Math.max(0, lead.offsetTop - 6);
    announce((res.reply_pending ? "" : res.reply + " ") + (res.recommendations || []).map(function (r) {
      return r.rank + ". " + r.title + (r.year ? " (" + r.year + ")" : "");
    }).join("; "));
    return reply;
  }

  // A chat turn streamed from /api/chat/stream, one JSON event a line: the picks show as soon as they
  // are ready ("answer"), then the reply grows as the LLM writes it ("reply"), and "done" has the text
  // to keep (the template when the LLM's was refused). Resolves to null: it shows the answer itself.
  function streamChat(body, userNode, wait) {
    return fetch(api + "/api/chat/stream", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      credentials: "omit",
    }).then(function (r) {
      if (!r.ok || !r.body) {
        return r.json().catch(function () { return {}; }).then(function (json) {
          var err = new Error(json.error || "the server answered " + r.status);
          err.status = r.status;
          throw err;
        });
      }
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "", reply = null, template = "";
      function handle(line) {
        if (!line.trim()) return;
        var event = JSON.parse(line);
        if (event.event === "answer") {
          wait.remove();
          template = event.reply;
          reply = showAnswer(event, userNode);
        } else if (reply && event.event === "reply") {
          reply.textContent = event.text;
        } else if (reply && event.event === "done") {
          reply.textContent = event.reply;
          reply.removeAttribute("aria-busy");
          announce(event.reply);
        }
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { handle(buffer); return null; }
          buffer += decoder.decode(chunk.value, { stream: true });
          var lines = buffer.split("\n");
          buffer = lines.pop();
          lines.forEach(handle);
          return pump();
        });
      }
      return pump().catch(function (err) {
        if (!reply) throw err;
        reply.textContent = template;  // the picks came; a reply cut off midway falls back to the template
        reply.removeAttribute("aria-busy");
        return null;
      });
    });
  }

  function run(request, userNode) {
    if (busy) return;
    busy = true;
    send.disabled = true;
    var wait = say("bot pending", "…");
    request(wait)
      .then(function (res) { wait.remove(); if (res) showAnswer(res, userNode); })
      .catch(function (err) {
        wait.remove();
        var text = "Sorry, that did not work: " + err.message;
        say("bot error", text);
        announce(text);
      })
      .then(function () {
        busy = false;
        send.disabled = false;
      });
  }

  // `shown` is what the user's bubble says when it differs from the message (starting from an item).
  function chat(message, startItem, shown) {
    if (busy) return;
    var userNode = message || shown ? say("user", shown || message) : null;
    var body = { session_id: sessionId, message: message || "" };
    if (startItem) body.item_id = startItem;
    if (domain && !sessionId) body.domain = domain;
    run(function (wait) {
      return streamChat(body, userNode, wait).catch(function (err) {
        if (err.status === 404 && body.session_id) {  // forgotten elsewhere: start afresh once
          remember(null);
          body.session_id = null;
          return streamChat(body, userNode, wait);
        }
        throw err;
      });
    }, userNode);
  }

  function dropTag(tag) {
    if (!sessionId) return;
    run(function () {
      return call("POST", "/api/tags/remove", { session_id: sessionId, kind: tag.kind, value: tag.value });
    }, null);
  }

  function thumb(rec, liked) {
    if (!sessionId) return;
    call("POST", "/api/feedback", { session_id: sessionId, item_id: rec.id, liked: liked })
      .then(function (res) {
        showTags(res.tags);
        announce(liked ? "Noted: more like " + rec.title + "."
          : "Noted: " + rec.title + " is turned down. It is listed under What I understood, where × undoes it.");
      })
      .catch(function (err) { say("bot error", "Could not save that: " + err.message); });
  }

  function askForget() {
    confirmBar.hidden = false;
    forget.setAttribute("aria-expanded", "true");
    no.focus();
  }

  function closeForget() {
    confirmBar.hidden = true;
    forget.setAttribute("aria-expanded", "false");
  }

  function deletedText(rows) {
    var names = { turns: ["answer", "answers"], shown: ["shown pick", "shown picks"], feedback: ["thumb", "thumbs"] };
    var parts = ["this conversation"];
    Object.keys(names).forEach(function (k) {
      var n = (rows || {})[k] || 0;
      if (n) parts.push(n + " " + names[k][n === 1 ? 0 : 1]);
    });
    var listed = parts.length > 1 ? parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1] : parts[0];
    return "Deleted from the server: " + listed + ". Nothing of it is kept.";
  }

  function forgetMe() {
    var id = sessionId;
    closeForget();
    remember(null);
    log.textContent = "";
    showQuick([]);
    showTags([]);
    input.focus();
    if (!id) { announce(say("bot", "There was nothing to delete: no conversation is kept.").textContent); return; }
    call("DELETE", "/api/sessions/" + encodeURIComponent(id))
      .then(function (res) { announce(say("bot notice", deletedText(res.rows_deleted)).textContent); })
      .catch(function (err) {
        if (err.status === 404) announce(say("bot notice", "Done: the server had nothing left of it.").textContent);
        else say("bot error", "Could not delete it: " + err.message);
      });
  }

  function open() {
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    if (!started) {
      started = true;
      if (itemId) {
        chat("", itemId, "More like this one, please.");
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
  forget.addEventListener("click", function () { if (confirmBar.hidden) askForget(); else closeForget(); });
  no.addEventListener("click", function () { closeForget(); forget.focus(); });
  yes.addEventListener("click", forgetMe);
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
