// The registration page: choose the street (town) first, then one of its communities (villages).
// Without script the community select still works on its own (grouped by street).
(function () {
  "use strict";
  var community = document.getElementById("id_community");
  var street = document.getElementById("id_street");
  if (!community || !street) return;
  var groups = Array.prototype.slice.call(community.querySelectorAll("optgroup"));
  groups.forEach(function (group) {
    var option = document.createElement("option");
    option.value = group.label;
    option.textContent = group.label;
    street.appendChild(option);
  });
  function show() {
    groups.forEach(function (group) {
      var match = !street.value || group.label === street.value;
      group.hidden = !match;
      group.disabled = !match;
    });
    var chosen = community.options[community.selectedIndex];
    if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) community.value = "";
  }
  var current = community.options[community.selectedIndex];
  if (current && current.parentNode.tagName === "OPTGROUP") street.value = current.parentNode.label;
  street.hidden = false;
  street.parentNode.hidden = false;
  street.addEventListener("change", show);
  show();
})();
