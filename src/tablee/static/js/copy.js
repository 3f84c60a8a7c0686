// « Copier » buttons: progressive enhancement. Without this script the buttons stay hidden and the
// field stays selectable by hand. A button names its field in data-copy-target and the element that
// announces the result (a polite live region) in data-copy-status.
(function () {
  "use strict";
  function announce(button, ok) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = button.getAttribute(ok ? "data-copied" : "data-copy-failed");
    }
  }
  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) { return; }
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { announce(button, true); },
        function () { announce(button, false); }
      );
      return;
    }
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    announce(button, ok);
  }
  function ready() {
    var buttons = document.querySelectorAll("button[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
