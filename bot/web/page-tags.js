// The "what I understood" bar (bot/view.py tags_html): × drops a tag ('drop' event). The bar starts
// open on wide screens and folded on phones, and keeps whatever the user chose across re-renders.
let open = window.matchMedia("(min-width: 760px)").matches;
element.addEventListener("click", (event) => {
  const button = event.target.closest("button.tb-x");
  if (!button || !element.contains(button)) return;
  trigger("drop", { kind: button.dataset.kind, value: button.dataset.value });
});
element.addEventListener("toggle", (event) => {
  if (event.target.classList.contains("tb-tags")) open = event.target.open;
}, true);
function settle() {
  const bar = element.querySelector("details.tb-tags");
  if (bar && bar.open !== open) bar.open = open;
}
watch("value", settle);
settle();
