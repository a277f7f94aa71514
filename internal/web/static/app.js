// ajans dashboard: copy buttons and confirmations. Everything works without
// it; it only makes two things nicer.
(function () {
  "use strict";

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-copy]");
    if (!btn) return;
    var source = document.getElementById(btn.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    var say = function (text) { if (status) status.textContent = text; };
    var selectIt = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    };
    if (!navigator.clipboard) {
      selectIt();
      say(btn.getAttribute("data-fail"));
      return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      say(btn.getAttribute("data-done"));
    }, function () {
      selectIt();
      say(btn.getAttribute("data-fail"));
    });
  });

  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
})();
