// Move focus to the error summary after a failed submission, so that keyboard and screen-reader
// users land on the list of problems. Everything works without this script: the summary also
// carries `autofocus`, and the form is validated on the server.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();
