/* The publication form's rich-text editor: Quill 2 (vendored, works offline) over the body's
   <textarea data-editor="quill">. The textarea keeps the HTML that is sent; without JavaScript
   it stays a plain textarea. The server cleans whatever arrives (nh3). */
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-editor='quill']").forEach(function (area) {
    if (typeof Quill === "undefined") { return; }
    var holder = document.createElement("div");
    holder.className = "bg-white";
    holder.style.minHeight = "18rem";
    holder.id = area.id + "_editor";
    area.parentNode.insertBefore(holder, area);
    area.hidden = true;
    var quill = new Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: [
          [{ header: [2, 3, false] }],
          ["bold", "italic", "underline", "strike"],
          [{ list: "ordered" }, { list: "bullet" }, { align: [] }],
          ["blockquote", "link"],
          ["clean"]
        ]
      }
    });
    quill.clipboard.dangerouslyPasteHTML(area.value || "");
    var sync = function () {
      area.value = quill.getLength() > 1 ? quill.getSemanticHTML() : "";
    };
    quill.on("text-change", sync);
    if (area.form) { area.form.addEventListener("submit", sync); }
  });
})();
