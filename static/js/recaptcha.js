// reCAPTCHA v3 for the consultation form, loaded only on pages that have the form and only
// when the clinic configured keys. The form never waits on it for long: if the service cannot
// be reached within a few seconds the form is sent without a token, and the request is kept
// and flagged for review.
(function () {
  "use strict";
  var input = document.querySelector("input[data-recaptcha]");
  if (!input || !input.form) {
    return;
  }
  var form = input.form;
  var script = document.createElement("script");
  script.src = input.dataset.script;
  script.async = true;
  document.head.appendChild(script);

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending || input.value || typeof window.grecaptcha === "undefined") {
      return; // send as is
    }
    event.preventDefault();
    sending = true;
    var sent = false;
    var send = function () {
      if (!sent) {
        sent = true;
        form.submit();
      }
    };
    window.setTimeout(send, 4000);
    window.grecaptcha.ready(function () {
      window.grecaptcha
        .execute(input.dataset.sitekey, { action: input.dataset.action })
        .then(function (token) {
          input.value = token;
          send();
        }, send);
    });
  });
})();
