// A button with data-print opens the browser's print dialog (a static file: the Content-Security-Policy allows no
// inline onclick).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
