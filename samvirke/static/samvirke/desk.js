// The agent desk in the browser (the page works without it, only less comfortably):
// - timers and countdowns tick every second from the moments the server drew (data-since / data-until, Unix
//   seconds), corrected for the difference between the server's clock and this computer's;
// - a chat message carries an id made here, so a double click or a retried request is one message; the field is
//   emptied only when the message was sent, and a refusal is shown beside it;
// - canned replies are put into the message field (never sent by themselves);
// - a form marked data-submit-once is sent once, however often its button is clicked;
// - the registration is saved as a draft just before the wrap-up time runs out;
// - a lost connection or a refusal of the page's background requests is said in words, and cleared when it works
//   again.
(function () {
  "use strict";

  var desk = document.querySelector("[data-server-now]");
  var clockOffsetMs = desk ? Number(desk.dataset.serverNow) * 1000 - Date.now() : 0;
  var draftSavedForDeadline = null;

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = pad(seconds % 60);
    return hours ? hours + ":" + pad(minutes) + ":" + rest : minutes + ":" + rest;
  }

  function tick() {
    var now = (Date.now() + clockOffsetMs) / 1000;
    document.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = duration(now - Number(el.dataset.since));
    });
    document.querySelectorAll("[data-until]").forEach(function (el) {
      var until = Number(el.dataset.until);
      var left = until - now;
      el.textContent = left > 0 ? duration(left) : "0:00 – du gøres klar …";
      if (left <= 3 && draftSavedForDeadline !== until) {
        draftSavedForDeadline = until;
        var autosave = document.getElementById("registration-autosave");
        if (autosave && window.htmx) window.htmx.trigger(autosave, "desk:save-draft");
      }
    });
  }
  tick();
  window.setInterval(tick, 1000);

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function prepareChatForm() {
    var form = document.getElementById("chat-form");
    if (!form) return;
    var id = form.querySelector("[data-client-id]");
    if (id && !id.value) id.value = newClientId();
  }
  prepareChatForm();

  function showError(element, text) {
    if (!element) return;
    element.textContent = text;
    element.hidden = !text;
  }

  function refusal(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/plain") === 0 && xhr.responseText) return xhr.responseText;
    if (xhr.status === 503) return "Systemet har travlt lige nu. Prøv igen om et øjeblik.";
    return "Det lykkedes ikke (fejl " + xhr.status + "). Prøv igen.";
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var alert = document.getElementById("desk-alert");
    if (elt.id === "chat-form") {
      if (event.detail.successful) {
        elt.reset();
        elt.querySelector("[data-client-id]").value = newClientId();
        showError(document.getElementById("chat-error"), "");
        document.getElementById("chat-text").focus();
      } else if (event.detail.xhr && event.detail.xhr.status) {
        showError(document.getElementById("chat-error"), refusal(event.detail.xhr) + " Beskeden står stadig i feltet.");
      }
      return;
    }
    if (elt.id === "desk-poll" && event.detail.successful) showError(alert, "");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var elt = event.detail.elt;
    if (elt.id === "chat-form") return;
    if (elt.id === "registration-autosave") {
      showError(document.getElementById("draft-status"), refusal(event.detail.xhr));
      return;
    }
    showError(document.getElementById("desk-alert"), refusal(event.detail.xhr));
  });

  document.addEventListener("htmx:sendError", function (event) {
    var text = "Ingen forbindelse til Samvirke. Skrivebordet prøver igen af sig selv.";
    if (event.detail.elt.id === "chat-form") text = "Ingen forbindelse – beskeden blev ikke sendt. Den står stadig i feltet.";
    var target = event.detail.elt.id === "chat-form" ? document.getElementById("chat-error") : document.getElementById("desk-alert");
    showError(target, text);
  });

  // The work part is drawn anew for each contact: a new chat form needs its own message id.
  document.addEventListener("htmx:afterSettle", prepareChatForm);
  document.addEventListener("htmx:oobAfterSwap", prepareChatForm);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-canned]");
    if (!button) return;
    event.preventDefault();
    var field = document.getElementById("chat-text");
    if (!field) return;
    var text = button.dataset.canned;
    var start = field.selectionStart || 0;
    var end = field.selectionEnd || 0;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    var caret = start + text.length;
    field.setSelectionRange(caret, caret);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-submit-once]")) return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.classList.add("is-submitting");
    // If the page is still here after a while (the request failed), the form may be sent again.
    window.setTimeout(function () {
      delete form.dataset.submitting;
      form.classList.remove("is-submitting");
    }, 8000);
  });
})();
