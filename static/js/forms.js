// The visitors' forms (consultation request, accommodation request). Everything works without
// this script: the error summary carries `autofocus`, its links are anchors to the fields, and
// the forms are checked on the server. With it:
// 1. focus moves to the error summary after a failed send, also where a browser skips
//    `autofocus` (it does when the URL names a fragment);
// 2. a link of the summary moves focus to its field and scrolls the question's label (a group's
//    legend) and its error message into view with it, not just the input;
// 3. the answers typed so far are kept while the visitor reads another page in the same tab (the
//    privacy notice the consent box links to) and put back when they return.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    if (document.activeElement !== summary) {
      summary.focus({ preventScroll: true });
    }
    // In view whoever focused it: the browser's autofocus may have scrolled to it before the
    // phone header folded (header.js), which moves everything under the header up.
    summary.scrollIntoView({ block: "nearest" });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (field) {
        event.preventDefault();
        showQuestion(field);
      }
    });
  }

  // The question around a field: its `.field` block holds the label or legend, the hint, the
  // error and the input.
  function showQuestion(input) {
    var question = input.closest(".field") || input;
    var top = question.getBoundingClientRect().top;
    var bottom = input.getBoundingClientRect().bottom;
    if (bottom - top <= window.innerHeight * 0.9) {
      // Question, error and input fit on the screen together: its top at the top of the window
      // (less the page's scroll-padding).
      question.scrollIntoView({ block: "start" });
    } else {
      // A long group of choices on a small screen: the choice itself and its own label.
      input.scrollIntoView({ block: "center" });
    }
    input.focus({ preventScroll: true });
  }

  // Keeping answers. They go to sessionStorage, which is acceptable for what a patient types
  // because it stays on the visitor's device, in this tab only: the browser never sends it to
  // the clinic or anyone else, other tabs and sites cannot read it, and it is gone when the tab
  // is closed. This script sends it nowhere; it is forgotten as soon as the form has been sent
  // (the confirmation page carries `data-forget-answers`). Hidden fields (the form's security
  // token and time stamp) and the honeypot (`data-not-kept`) are never kept.
  var PREFIX = "visitor-form-answers:";
  var storage = (function () {
    try {
      var store = window.sessionStorage;
      store.getItem(PREFIX);
      return store;
    } catch (error) {
      return null; // storage switched off: the form works as before
    }
  })();
  if (!storage) {
    return;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-forget-answers]"), function (element) {
    storage.removeItem(PREFIX + element.getAttribute("data-forget-answers"));
  });

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (
        element.name &&
        !element.disabled &&
        /^(text|email|tel|number|search|url|textarea|radio|checkbox|select-one)$/.test(element.type) &&
        !element.closest("[data-not-kept]")
      );
    });
  }

  function read(form) {
    var answers = {};
    keptFields(form).forEach(function (element) {
      if (element.type === "radio") {
        if (element.checked) {
          answers[element.name] = element.value;
        }
      } else if (element.type === "checkbox") {
        answers[element.name] = answers[element.name] || [];
        if (element.checked) {
          answers[element.name].push(element.value);
        }
      } else {
        answers[element.name] = element.value;
      }
    });
    return answers;
  }

  function restore(form, answers) {
    keptFields(form).forEach(function (element) {
      if (!Object.prototype.hasOwnProperty.call(answers, element.name)) {
        return;
      }
      var answer = answers[element.name];
      if (element.type === "radio") {
        element.checked = element.value === answer;
      } else if (element.type === "checkbox") {
        element.checked = Array.isArray(answer) && answer.indexOf(element.value) !== -1;
      } else if (element.type === "select-one") {
        var known = Array.prototype.some.call(element.options, function (option) {
          return option.value === answer;
        });
        if (known) {
          element.value = answer;
        }
      } else if (typeof answer === "string") {
        element.value = answer;
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-answers]"), function (form) {
    var key = PREFIX + form.getAttribute("data-keep-answers");
    function save() {
      try {
        storage.setItem(key, JSON.stringify(read(form)));
      } catch (error) {
        // Storage full or refused: nothing is kept, the form still works.
      }
    }
    if (summary) {
      // After a failed send the page shows what was sent: that is what to keep, not older answers.
      save();
    } else {
      try {
        var kept = JSON.parse(storage.getItem(key) || "null");
        if (kept && typeof kept === "object") {
          restore(form, kept);
        }
      } catch (error) {
        storage.removeItem(key);
      }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  });
})();
