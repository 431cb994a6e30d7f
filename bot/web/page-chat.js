// The chat page's conversation box (bot/view.py renders it; bot/ui.py runs this as the gr.HTML's
// js_on_load, where `element`, `trigger` and `watch` are given). Buttons become Gradio events
// ('thumb', 'example'); each new answer is scrolled into view from its start, not its end.
const seen = { answer: -1, open: new Set() };
element.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button || !element.contains(button)) return;
  if (button.dataset.item) {
    trigger("thumb", { item: button.dataset.item, liked: button.dataset.liked === "1" });
  } else if (button.dataset.text) {
    trigger("example", { text: button.dataset.text });
  }
});
// Re-rendering drops the `open` of a folded description; remember which ones the user opened.
element.addEventListener("toggle", (event) => {
  const key = event.target.dataset && event.target.dataset.key;
  if (!key) return;
  if (event.target.open) seen.open.add(key);
  else seen.open.delete(key);
}, true);

// The box fills the screen down to the message box, so the reply, the picks and the box all show.
let watching = false;
function fit() {
  const log = element.querySelector(".tb-log");
  const compose = document.getElementById("compose");
  if (!log || !compose) return;
  const main = document.getElementById("main");
  if (!watching && main && window.ResizeObserver) {  // quick replies or tags appearing change the room left
    watching = true;
    new ResizeObserver(fit).observe(main);
  }
  const top = log.getBoundingClientRect().top + window.scrollY;
  const below = compose.getBoundingClientRect().bottom - log.getBoundingClientRect().bottom;
  const height = Math.max(280, Math.floor(window.innerHeight - top - below - 12));
  if (log.style.height !== height + "px") log.style.height = height + "px";
}
window.addEventListener("resize", fit);
window.addEventListener("load", fit);
setTimeout(() => {
  fit();
  // Wide screens start in the message box; phones do not (no keyboard popping up, no jump down the page).
  const box = document.querySelector("#message textarea");
  if (box && window.matchMedia("(min-width: 760px)").matches && !document.activeElement?.closest("#main")) {
    box.focus({ preventScroll: true });
  }
}, 0);

function settle() {
  fit();
  element.querySelectorAll("details[data-key]").forEach((d) => {
    if (seen.open.has(d.dataset.key) && !d.open) d.open = true;
  });
  const log = element.querySelector(".tb-log");
  const waiting = element.querySelector(".tb-waiting");  // the user's message, before its answer
  if (log && waiting) { log.scrollTop = Math.max(0, waiting.offsetTop - 6); return; }
  const turns = element.querySelectorAll(".tb-turn[data-answer]");
  const last = turns[turns.length - 1];
  if (!log || !last) { seen.answer = 0; return; }
  const answer = Number(last.dataset.answer);
  if (answer === seen.answer) return;  // the same answer streaming in, or a thumb: leave the scroll alone
  seen.answer = answer;
  const reply = last.querySelector(".tb-reply");
  const user = last.querySelector(".tb-user");
  // Start at what the user said when it is short, else at the reply: the reply and the first pick show.
  const lead = user && reply.offsetTop + reply.offsetHeight - user.offsetTop < log.clientHeight * 0.3 ? user : reply;
  log.scrollTop = Math.max(0, lead.offsetTop - 6);
  const box = log.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight * 0.45) {
    window.scrollBy({ top: box.top - 8, behavior: "instant" });  // bring the chat box itself into view
  }
}
watch("value", settle);
settle();
