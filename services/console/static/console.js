// The console's only script (the Content-Security-Policy allows no inline script): the CSRF token on every
// htmx request, and the live unread badge fed by the notification stream the console relays.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
  });

  var badge = document.getElementById("unread-badge");
  if (!badge) { return; }
  var unread = 0;
  function show() {
    badge.textContent = unread > 0 ? String(unread) : "";
    badge.dataset.count = String(unread);
  }
  var list = document.getElementById("inbox-list");
  var opened = 0;

  // The count and the list as the service has them now. Called each time the stream (re)opens: whatever
  // arrived while it was away (reconnecting, or refused for a moment) is counted and listed then.
  function refresh() {
    fetch(badge.dataset.unreadUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {unread: null}; })
      .then(function (body) { if (typeof body.unread === "number") { unread = body.unread; show(); } })
      .catch(function () {});
    if (list && opened > 1) {
      fetch(list.dataset.itemsUrl, {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { list.innerHTML = html; htmx.process(list); } })
        .catch(function () {});
    }
  }

  var stream = new EventSource(badge.dataset.streamUrl);
  stream.addEventListener("open", function () { opened += 1; refresh(); });
  stream.addEventListener("notification", function (event) {
    unread += 1;
    show();
    if (list) {
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      list.prepend(notificationItem(JSON.parse(event.data)));
    }
  });

  function notificationItem(notification) {
    var item = document.createElement("li");
    item.className = "unread";
    item.id = "n-" + notification.id;
    var title = document.createElement("strong");
    title.textContent = notification.title;
    var body = document.createElement("div");
    body.textContent = notification.body;
    item.append(title, body);
    return item;
  }
}());
