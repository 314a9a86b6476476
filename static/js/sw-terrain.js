/* Service worker of the field pages (scope /menages/): a contact form opened once is shown
   again without network for 24 hours, with the styles and scripts it needs. Nothing else is
   kept; sends (POST) always go to the network, the drafts are kept by brouillons.js. */
"use strict";
var CACHE = "asea-terrain";
var DUREE = 24 * 3600 * 1000;
var FORMULAIRE = /^\/menages\/\d+\/contacts\/nouveau\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

function frais(reponse) {
  var date = Date.parse(reponse.headers.get("Date") || "");
  return !isNaN(date) && Date.now() - date < DUREE;
}

self.addEventListener("fetch", function (evenement) {
  var requete = evenement.request;
  if (requete.method !== "GET") return;
  var url = new URL(requete.url);
  if (url.origin !== self.location.origin) return;
  var page = requete.mode === "navigate" && FORMULAIRE.test(url.pathname);
  if (!page && url.pathname.indexOf("/static/") !== 0) return;
  evenement.respondWith(
    fetch(requete).then(
      function (reponse) {
        if (reponse.ok && !reponse.redirected) {
          var copie = reponse.clone();
          caches.open(CACHE).then(function (cache) { cache.put(requete, copie); });
        }
        return reponse;
      },
      function () {
        return caches.open(CACHE).then(function (cache) {
          return cache.match(requete).then(function (gardee) {
            if (gardee && frais(gardee)) return gardee;
            if (gardee) cache.delete(requete);
            return Response.error();
          });
        });
      }
    )
  );
});
