// Progressive enhancement of the chat: without JavaScript every form posts and the page reloads with the whole
// conversation. With it, the question, a quick reply ("Vælg et emne", "Mener du …?") and the "Hjalp svaret dig?"
// buttons are sent with fetch and the reply is added to the log (a polite live region); focus stays in the field.
// The hand-over forms (chat with an agent, callback, message) are left alone: they go to a page of their own.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var log = document.getElementById("chat-log");
  if (!form || !log || !window.fetch || !window.FormData) return;
  var input = form.querySelector("#question");
  var busy = false;

  function send(target, body) {
    return fetch(target, {
      method: "POST",
      body: body,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      // Over the rate limit (429): the answer is a turn saying, in Danish, how long to wait; shown in the log.
      if (response.status === 429) return response.text().then(function (html) { throw new TooMany(html); });
      if (!response.ok) throw new Error(response.status);
      return response.text();
    });
  }

  function TooMany(html) { this.html = html; }

  // A refusal for asking too much is shown in the conversation; any other failure posts the form the old way.
  function fallBack(error, plain) {
    if (error instanceof TooMany) append(error.html);
    else plain();
  }

  function dataOf(target, submitter) {
    var data = new FormData(target);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return data;
  }

  // If fetch fails (a lost connection, a busy server), post the form the old way, with the button that was pressed.
  function submitPlain(target, submitter) {
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      target.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(target);
  }

  function append(html) {
    log.insertAdjacentHTML("beforeend", html);
    var last = log.lastElementChild;
    if (last) last.scrollIntoView({ block: "nearest" });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var button = form.querySelector("button[type=submit]");
    busy = true;
    button.disabled = true;
    send(form.action, new FormData(form))
      .then(function (html) { append(html); input.value = ""; })
      .catch(function (error) { fallBack(error, function () { form.submit(); }); })
      .finally(function () { busy = false; button.disabled = false; input.focus(); });
  });

  log.addEventListener("submit", function (event) {
    var target = event.target;
    var submitter = event.submitter;
    if (target.matches("form.quick-replies")) {
      event.preventDefault();
      if (busy || !submitter) return;
      busy = true;
      send(target.action, dataOf(target, submitter))
        .then(append)
        .catch(function (error) { fallBack(error, function () { submitPlain(target, submitter); }); })
        .finally(function () { busy = false; input.focus(); });
    } else if (target.matches("form.feedback")) {
      event.preventDefault();
      var buttons = target.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      send(target.action, dataOf(target, submitter))
        .then(function (html) {
          var holder = document.createElement("div");
          holder.className = "feedback-reply";
          holder.innerHTML = html;
          target.replaceWith(holder);
          var offer = holder.querySelector(".handover-offer");
          if (offer) offer.scrollIntoView({ block: "nearest" });
        })
        .catch(function (error) {
          buttons.forEach(function (b) { b.disabled = false; });
          fallBack(error, function () { submitPlain(target, submitter); });
        });
    }
  });
})();
