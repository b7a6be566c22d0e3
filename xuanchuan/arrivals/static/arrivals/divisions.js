/* Cascading province → city → county selects of the arrival form (CSP: no inline script).
   Each <fieldset class="division-group"> holds three selects marked data-division-level; choosing
   a level loads the options of the next from data-division-url?parent=CODE and empties the ones below. */
(function () {
  "use strict";
  var LEVELS = ["province", "city", "county"];

  function fill(select, options) {
    var placeholder = select.options.length ? select.options[0].text : "请选择";
    select.innerHTML = "";
    select.appendChild(new Option(placeholder, ""));
    options.forEach(function (item) { select.appendChild(new Option(item.name, item.code)); });
    select.disabled = options.length === 0;
  }

  function load(url, parent, select) {
    fetch(url + "?parent=" + encodeURIComponent(parent), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { options: [] }; })
      .then(function (data) { fill(select, data.options || []); })
      .catch(function () { select.disabled = false; });
  }

  document.querySelectorAll(".division-group").forEach(function (group) {
    var url = group.getAttribute("data-division-url");
    var selects = LEVELS.map(function (level) { return group.querySelector('[data-division-level="' + level + '"]'); });
    selects.forEach(function (select, index) {
      if (index > 0 && select.options.length <= 1) { select.disabled = true; }
      select.addEventListener("change", function () {
        for (var below = index + 1; below < selects.length; below++) { fill(selects[below], []); }
        if (select.value && index + 1 < selects.length) { load(url, select.value, selects[index + 1]); }
      });
    });
  });
})();
