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
// The page's fixed labels follow the user's language: the language of the conversation (data-lang, the
// state's lang) once there is one, the browser's before. Gradio renders the controls, so they are
// relabelled here; their English text is kept to switch back.
// English text as Gradio and bot/ui.py render it -> Chinese. Text nodes are swapped, so links and values stay.
const ZH_TEXT = {
  "Send": "发送", "Start over": "重新开始", "Forget me…": "忘掉我…", "Yes, delete it": "是的，删除", "Cancel": "取消",
  "Looking for": "想找", "Anything": "不限", "Movies": "电影", "Books": "书", "Music": "音乐",
  "Tell me what you like and I'll pick a few real movies, books or albums from the catalog.":
    "告诉我你喜欢什么，我会从目录里挑几部真实的电影、书或专辑。",
  "Your conversation is kept on this server under a random id until you delete it. JSON API:":
    "你的对话以随机编号保存在这台服务器上，直到你删除它。JSON 接口：",
  "Delete this conversation, what it showed you and your thumbs from the server? This cannot be undone.":
    "要从服务器上删除这段对话、给你看过的推荐和你的点赞吗？删除后无法恢复。",
  "Tell me something you like — a film, a book, an album, a mood — and I'll suggest a few.":
    "告诉我你喜欢什么——电影、书、专辑或者一种心情——我来推荐几个。",
  "Try one of these:": "试试这些：", "What I understood": "我的理解", "nothing yet": "还没有",
  "Nothing yet: tell me what you like.": "还没有：告诉我你喜欢什么。",
};
const ZH_EXAMPLES = ["我想看一部感人的家庭电影", "推荐几本奇幻小说，不要恐怖的", "90年代的犯罪片", "学习时听的轻音乐"];
const ZH_PLACEHOLDER = "例如：一部烧脑的科幻电影";
const LABELLED = ["#intro", "#privacy", "#domain", "#send", "#reset", "#forget", "#confirm", "#understood"];

function pageLang() {
  const chat = element.querySelector(".tb-chat");
  if (chat && element.querySelector(".tb-turn")) return chat.dataset.lang === "zh" ? "zh" : "en";
  return (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

function relabel() {
  const lang = pageLang();
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  const roots = LABELLED.map((sel) => document.querySelector(sel)).concat([element.querySelector(".tb-empty")]);
  roots.filter(Boolean).forEach((root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const en = n.__en || n.textContent.trim();
      if (!(en in ZH_TEXT)) continue;
      n.__en = en;
      const text = lang === "zh" ? ZH_TEXT[en] : en;
      if (n.textContent.trim() !== text) n.textContent = text;
    }
  });
  const box = document.querySelector("#message textarea");
  if (box) {
    if (box.dataset.en === undefined) box.dataset.en = box.placeholder;
    box.placeholder = lang === "zh" ? ZH_PLACEHOLDER : box.dataset.en;
  }
  element.querySelectorAll(".tb-example").forEach((b, i) => {  // an example is sent as it is written
    if (b.dataset.en === undefined) b.dataset.en = b.dataset.text;
    const text = lang === "zh" && ZH_EXAMPLES[i] ? ZH_EXAMPLES[i] : b.dataset.en;
    if (b.dataset.text !== text) { b.dataset.text = text; b.textContent = text; }
  });
}

watch("value", () => { settle(); relabel(); });
settle();
relabel();
// Gradio (re)renders the other controls after this runs: relabel once the DOM settles after any change.
let pending = false;
new MutationObserver(() => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; relabel(); });
}).observe(document.body, { childList: true, subtree: true, characterData: true });
