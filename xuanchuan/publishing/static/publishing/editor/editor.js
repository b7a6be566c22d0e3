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
    // The piece's own uploaded images and files: put into the text where the cursor is.
    document.querySelectorAll("[data-insert-url]").forEach(function (button) {
      button.addEventListener("click", function () {
        var range = quill.getSelection(true) || { index: quill.getLength() - 1 };
        var url = button.getAttribute("data-insert-url");
        if (button.getAttribute("data-insert-kind") === "image") {
          quill.insertEmbed(range.index, "image", url, "user");
          quill.setSelection(range.index + 1, 0, "user");
        } else {
          var name = button.getAttribute("data-insert-name") || url;
          quill.insertText(range.index, name, "link", url, "user");
          quill.setSelection(range.index + name.length, 0, "user");
        }
        sync();
      });
    });
  });
})();
