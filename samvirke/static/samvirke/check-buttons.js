// "Vælg alle" / "Vælg ingen" over a fieldset of checkboxes (the crisis notice's municipalities). The buttons are
// hidden without JavaScript; a static file, as the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.querySelectorAll("[data-check-buttons]").forEach(function (p) { p.hidden = false; });
  document.querySelectorAll("[data-check-all],[data-check-none]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.hasAttribute("data-check-all");
      button.closest("fieldset").querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = on; });
    });
  });
})();
