// Progressive enhancement of the chat form: without JavaScript the form posts and the page reloads.
// With it, the reply is fetched and appended to the log (a polite live region), and focus stays in the field.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var log = document.getElementById("chat-log");
  if (!form || !log || !window.fetch) return;

  function send(target, body) {
    return fetch(target, {
      method: "POST",
      body: body,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = form.querySelector("#question");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    send(form.action, new FormData(form))
      .then(function (html) {
        log.insertAdjacentHTML("beforeend", html);
        input.value = "";
        var last = log.lastElementChild;
        if (last) last.scrollIntoView({ block: "nearest" });
      })
      .catch(function () { form.submit(); })
      .finally(function () { button.disabled = false; input.focus(); });
  });

  log.addEventListener("submit", function (event) {
    var feedback = event.target.closest("form.feedback");
    if (!feedback) return;
    event.preventDefault();
    var data = new FormData(feedback);
    if (event.submitter) data.append(event.submitter.name, event.submitter.value);
    send(feedback.action, data).then(function (html) { feedback.outerHTML = html; });
  });
})();
