// ebook preview: note popups as a reader shows them, and reload when the manuscript changes.
(function () {
  "use strict";
  var version = null;

  // The server holds a request that names the version shown until the manuscript changes.
  function poll() {
    var known = version === null ? "" : "?known=" + encodeURIComponent(version);
    fetch("/__version" + known, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (current) {
        if (version === null) {
          version = current;
          document.documentElement.setAttribute("data-preview-version", current);
        }
        else if (current !== version) { window.location.reload(); return; }
        poll();
      })
      .catch(function () { window.setTimeout(poll, 1000); });
  }

  function closePopup() {
    var popup = document.getElementById("preview-popup");
    if (popup) { popup.parentNode.removeChild(popup); }
  }

  function showNote(link, note) {
    closePopup();
    if (!note) { return; }
    var popup = document.createElement("div");
    popup.id = "preview-popup";
    popup.setAttribute("role", "dialog");
    var copy = document.importNode(note, true);
    var backlinks = copy.querySelectorAll("a[role='doc-backlink']");
    for (var i = 0; i < backlinks.length; i++) { backlinks[i].parentNode.removeChild(backlinks[i]); }
    popup.appendChild(copy);
    document.body.appendChild(popup);
    var box = link.getBoundingClientRect();
    popup.style.top = (window.scrollY + box.bottom + 8) + "px";
    popup.style.left = Math.max(8, Math.min(window.scrollX + box.left - 40,
      window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8)) + "px";
  }

  // The contents drawer on a phone: the button opens and closes it, a link in it closes it.
  function toggleDrawer(open) {
    var sidebar = document.getElementById("preview-sidebar");
    var button = document.querySelector("button.preview-drawer-toggle");
    if (!sidebar || !button) { return; }
    sidebar.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("button.preview-drawer-toggle")) {
      var sidebar = document.getElementById("preview-sidebar");
      toggleDrawer(!(sidebar && sidebar.classList.contains("open")));
      return;
    }
    if (event.target.closest("#preview-sidebar a")) { toggleDrawer(false); }
    var link = event.target.closest("a[role='doc-noteref']");
    if (!link) {
      var popup = document.getElementById("preview-popup");
      if (popup && !popup.contains(event.target)) { closePopup(); }
      return;
    }
    event.preventDefault();
    var parts = link.getAttribute("href").split("#");
    if (!parts[0]) { showNote(link, document.getElementById(parts[1])); return; }
    fetch(parts[0]).then(function (response) { return response.text(); }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "application/xhtml+xml");
      showNote(link, doc.getElementById(parts[1]));
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closePopup(); }
  });

  poll();
}());
