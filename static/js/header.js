// On a phone, fold the languages, the patient services, the main menu and the search behind the
// header's "Menu" button (a disclosure: aria-expanded on the button, aria-controls naming what it
// shows). The phone number and the consultation button stay in view. Without this script the
// button stays hidden and everything is shown: the stylesheet folds the header only under the
// class set here. On wider screens the stylesheet shows everything whatever the button's state.
//
// Loaded in <head> without `defer`: the class goes on <html> before the first paint, so that a
// phone never draws the unfolded header and then moves the page up when it folds (a layout
// shift, and a focused error summary pushed out of view). The button is wired once the
// document is parsed.
(function () {
  "use strict";
  document.documentElement.classList.add("has-menu-toggle");

  function wire() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector("[data-menu-toggle]");
    if (!button) {
      return;
    }
    var panels = (button.getAttribute("aria-controls") || "")
      .split(/\s+/)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("site-header--open", open);
    }

    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }

    setOpen(false);

    // A <button> already answers Enter and Space with a click.
    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });

    // Escape closes the menu from the button or from anywhere inside it, and gives focus back
    // to the button, so that keyboard users are not left on a link that has just disappeared.
    header.addEventListener("keydown", function (event) {
      // Only while the header is folded (the button shown), not on a wide screen.
      if (event.key !== "Escape" || !isOpen() || !button.getClientRects().length) {
        return;
      }
      var inside = event.target === button || panels.some(function (panel) {
        return panel.contains(event.target);
      });
      if (inside) {
        setOpen(false);
        button.focus();
        event.preventDefault();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
