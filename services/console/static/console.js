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
  var counted = new Set();  // the notifications the badge holds: a count's newest unread ids, and live arrivals
  var arriving = null;  // the ids that arrived while a count was on its way
  var lastSeen = "";
  function show() {
    badge.textContent = unread > 0 ? String(unread) : "";
    badge.dataset.count = String(unread);
  }
  var list = document.getElementById("inbox-list");
  var opened = 0;

  // The count and the list as the service has them now. Called each time the stream (re)opens: whatever
  // arrived while it was away (reconnecting, or refused for a moment) is counted and listed then. A
  // notification that the stream brings as well as the count is counted once, by its id (decision 0095).
  function refresh() {
    var arrived = arriving = new Set();
    fetch(badge.dataset.unreadUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {unread: null}; })
      .then(function (body) {
        if (typeof body.unread !== "number") { return; }
        counted = new Set(body.recent);
        unread = body.unread;
        arrived.forEach(function (id) { if (!counted.has(id)) { counted.add(id); unread += 1; } });
        show();
      })
      .catch(function () {})
      .then(function () { if (arriving === arrived) { arriving = null; } });
    if (list && opened > 1) {
      fetch(list.dataset.itemsUrl, {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { list.innerHTML = html; htmx.process(list); } })
        .catch(function () {});
    }
  }

  function arrive(event) {
    var id = event.lastEventId;
    lastSeen = id || lastSeen;
    if (arriving) { arriving.add(id); }
    if (counted.has(id)) { return; }
    counted.add(id);
    unread += 1;
    show();
    if (list && !document.getElementById("n-" + id)) {
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      list.prepend(notificationItem(JSON.parse(event.data)));
    }
  }

  // EventSource reconnects by itself when a stream ends; a refusal (503 when the console holds too many
  // streams) closes it for good, so a new one resumes after the last notification seen, a little later.
  function connect() {
    var url = badge.dataset.streamUrl + (lastSeen ? "?after=" + encodeURIComponent(lastSeen) : "");
    var stream = new EventSource(url);
    stream.addEventListener("open", function () { opened += 1; refresh(); });
    stream.addEventListener("notification", arrive);
    stream.addEventListener("error", function () {
      if (stream.readyState === EventSource.CLOSED) { setTimeout(connect, 5000); }
    });
  }
  connect();

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

// The live reverse auction (decision 0110): each standing the console sends is the fragment of the page to show.
(function () {
  var live = document.getElementById("auction-live");
  if (!live) { return; }
  function connect() {
    var stream = new EventSource(live.dataset.liveUrl);
    stream.addEventListener("standing", function (event) { live.innerHTML = event.data; });
    stream.addEventListener("error", function () {
      if (stream.readyState === EventSource.CLOSED) { setTimeout(connect, 5000); }
    });
  }
  connect();
}());

// An award's standstill counted down to the minute, from the time the service gave.
(function () {
  var countdown = document.getElementById("standstill");
  if (!countdown) { return; }
  function tick() {
    var left = Math.max(0, Date.parse(countdown.dataset.endsAt) - Date.now());
    if (left === 0) { countdown.textContent = countdown.dataset.over; return; }
    var minutes = Math.floor(left / 60000);
    countdown.textContent = countdown.dataset.format.replace("{d}", String(Math.floor(minutes / 1440)))
      .replace("{h}", String(Math.floor(minutes / 60) % 24)).replace("{m}", String(minutes % 60));
    setTimeout(tick, 30000);
  }
  tick();
}());
