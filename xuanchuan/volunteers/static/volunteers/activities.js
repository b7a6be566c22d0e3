// The phone list of volunteer activities: choosing a street, community or brand applies it at once
// (the form still has its search button for phones without script).
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) {
        select.form.submit();
      }
    });
  });
})();
