// Sends the session's CSRF token with every request that changes something: htmx requests get it as the
// X-CSRF-Token header, plain forms as a hidden csrf_token field.  The token is in <meta name="csrf-token">.
(function () {
  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || (form.method || "").toLowerCase() !== "post" || form.querySelector('input[name="csrf_token"]')) {
      return;
    }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrf_token";
    input.value = token();
    form.appendChild(input);
  }, true);
  var origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function (resource, init) {
      init = init || {};
      var method = (init.method || "GET").toUpperCase();
      if (method !== "GET" && method !== "HEAD") {
        init.headers = new Headers(init.headers || {});
        if (!init.headers.has("X-CSRF-Token")) { init.headers.set("X-CSRF-Token", token()); }
      }
      return origFetch.call(this, resource, init);
    };
  }
})();
// After a save the page stands on the new version: the next save names it as its base (a save made on an older
// version is merged field by field, or shown as a conflict, never written over a newer one).  A save that was
// merged with others' changes reloads the page instead (HX-Refresh), so its fields show the merged version.
document.addEventListener("saved", function (event) {
  var input = document.querySelector('input[name="_version"]');
  if (input && event.detail && event.detail.version) { input.value = event.detail.version; }
});
