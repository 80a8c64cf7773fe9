// Tsunagu: progressive enhancement only; every page works without it.
// Sends the CSRF token with htmx requests.
document.addEventListener("htmx:configRequest", function (e) {
  var m = document.querySelector('meta[name="csrf-token"]');
  if (m) { e.detail.headers["X-CSRF-Token"] = m.content; }
});
// Language switch submits on change.
document.addEventListener("change", function (e) {
  if (e.target && e.target.id === "lang-select") { e.target.form.submit(); }
});
// Confirm destructive actions: <form data-confirm="message">.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
