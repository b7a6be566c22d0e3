// The proofreading page: clicking a marked piece of text shows its finding in the list, and
// clicking a finding shows where it is in the text. Accepting a suggestion is a plain form
// submit (the page works without this script).
(function () {
  "use strict";
  function focus(selector) {
    document.querySelectorAll(".pf-focus").forEach(function (node) { node.classList.remove("pf-focus"); });
    var target = document.querySelector(selector);
    if (target) {
      target.classList.add("pf-focus");
      target.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }
  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark.pf");
    if (mark) {
      focus("#pf-item-" + mark.dataset.i);
      return;
    }
    var item = event.target.closest(".pf-item");
    if (item && !event.target.closest("button")) {
      focus('mark.pf[data-all~="' + item.dataset.i + '"]');
    }
  });
})();
