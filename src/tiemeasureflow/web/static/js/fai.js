/* First article page: the revision field follows the chosen recipe's current revision until the user types one. */
(function () {
  "use strict";
  var select = document.getElementById("recipe_id"), field = document.getElementById("version_number");
  if (!select || !field) { return; }
  function follow() {
    var option = select.options[select.selectedIndex];
    if (option && !field.dataset.typed) { field.value = option.dataset.version; }
  }
  field.addEventListener("input", function () { field.dataset.typed = "1"; });
  select.addEventListener("change", follow);
  if (!field.value) { follow(); }
})();
