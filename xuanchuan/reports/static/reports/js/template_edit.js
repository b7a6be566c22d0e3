// The template editor: a click on a figure, setting or option in the side lists inserts it at the cursor.
(function () {
  "use strict";
  var body = document.getElementById("id_body");
  if (!body) { return; }
  document.querySelectorAll("[data-insert]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-insert");
      var start = body.selectionStart, end = body.selectionEnd;
      body.value = body.value.slice(0, start) + text + body.value.slice(end);
      body.focus();
      body.selectionStart = body.selectionEnd = start + text.length;
    });
  });
})();
