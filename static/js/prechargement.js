/* The diary keeps the contact forms of today's households on the tablet, so that a visit can be
   logged there later in the day without network: the field pages' service worker (sw-terrain.js)
   serves them from the same cache, for 24 hours, and the logout clears it (brouillons.js). */
"use strict";
(function () {
  var el = document.querySelector("[data-prechargement]");
  if (!el || !navigator.onLine || !("caches" in window) || !navigator.serviceWorker) return;
  var formulaires = el.dataset.prechargement.split(" ").filter(Boolean);
  var statiques = Array.prototype.map.call(
    document.querySelectorAll('link[rel="stylesheet"][href], script[src]'),
    function (n) { return n.getAttribute("href") || n.getAttribute("src"); }
  ).filter(function (url) { return url.indexOf("/static/") === 0; });
  navigator.serviceWorker.register(el.dataset.serviceWorker, { scope: el.dataset.portee }).catch(function () {});
  caches.open("asea-terrain").then(function (cache) {
    formulaires.concat(statiques).forEach(function (url) {
      fetch(url, { credentials: "same-origin" }).then(function (reponse) {
        if (reponse.ok && !reponse.redirected) cache.put(url, reponse);
      }).catch(function () {});
    });
  });
})();
