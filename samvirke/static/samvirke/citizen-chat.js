// The citizen's chat with an agent: each message carries an id made here, so a double-clicked or retried Send is
// one message; the field is emptied only when the message was sent, and a failure is said in Danish.
(function () {
  "use strict";
  function newClientId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function form() { return document.getElementById("citizen-chat-form"); }
  function prepare() {
    var f = form();
    if (!f) return;
    var id = f.querySelector("[data-client-id]");
    if (id && !id.value) id.value = newClientId();
  }
  function showError(text) {
    var error = document.getElementById("chat-error");
    if (!error) return;
    error.textContent = text;
    error.hidden = !text;
  }
  prepare();
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== form()) return;
    var button = form().querySelector("button[type=submit]");
    if (button) button.disabled = true;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var f = form();
    if (!f || event.detail.elt !== f) return;
    var button = f.querySelector("button[type=submit]");
    if (button) button.disabled = false;
    if (event.detail.successful) {
      f.reset();
      f.querySelector("[data-client-id]").value = newClientId();
      showError("");
      var field = document.getElementById("chat-text");
      if (field) field.focus();
    } else if (event.detail.xhr && event.detail.xhr.status === 429) {
      showError(event.detail.xhr.responseText);  // plain text: the server's Danish sentence with how long to wait
    } else {
      showError("Beskeden blev ikke sendt. Den står stadig i feltet – prøv igen om et øjeblik.");
    }
  });
  // The page's poll over its (generous) limit: say so until a poll gets through again.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "chat-state") return;
    if (event.detail.xhr && event.detail.xhr.status === 429) showError(event.detail.xhr.responseText);
  });
})();
