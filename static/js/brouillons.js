/* Visit drafts kept on the tablet while the network is down (issue #20, docs/architecture.md).
   A contact form marked data-brouillon is sent by fetch; if the network fails, its fields are kept
   in localStorage with a key per draft and sent again, once, when the network returns. A visit
   being typed is kept there too as you type (state "saisie", never sent by itself), so that a
   reload or a crashed tab does not lose it. Drafts are dropped after 24 hours and on logout. */
(function () {
  "use strict";
  var CLE = "asea-brouillons";
  var DUREE = 24 * 3600 * 1000;
  var CACHE = "asea-terrain";
  var ENVOYE = "asea-envoye";
  var ATTENTE_SAISIE = 800; // ms of quiet typing before the form is kept
  var envoiEnCours = false;
  // On a shared tablet, another person's drafts are neither shown nor sent under this session.
  var utilisateur = document.currentScript.dataset.utilisateur;

  function tous() {
    try {
      var brouillons = JSON.parse(localStorage.getItem(CLE) || "[]");
      var limite = Date.now() - DUREE;
      return brouillons.filter(function (b) { return b.cree > limite; });
    } catch (e) {
      return [];
    }
  }

  function autres() {
    return tous().filter(function (b) { return b.utilisateur !== utilisateur; });
  }

  function lire() {
    return tous().filter(function (b) { return b.utilisateur === utilisateur; });
  }

  function ecrire(miens) {
    var brouillons = autres().concat(miens);
    if (brouillons.length) localStorage.setItem(CLE, JSON.stringify(brouillons));
    else localStorage.removeItem(CLE);
  }

  function garder(brouillon) {
    ecrire(lire().filter(function (b) { return b.cle !== brouillon.cle; }).concat([brouillon]));
  }

  function oublier(cle) {
    ecrire(lire().filter(function (b) { return b.cle !== cle; }));
  }

  function nouvelleCle() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var o = crypto.getRandomValues(new Uint8Array(16));
    o[6] = (o[6] & 15) | 64;
    o[8] = (o[8] & 63) | 128;
    var h = Array.prototype.map.call(o, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function zoneEtat() {
    var zone = document.getElementById("etat-brouillon");
    if (!zone) {
      zone = document.createElement("div");
      zone.id = "etat-brouillon";
      zone.setAttribute("role", "status");
      var main = document.getElementById("contenu") || document.body;
      main.insertBefore(zone, main.firstChild);
    }
    return zone;
  }

  function montrer(classe, texte) {
    var zone = zoneEtat();
    zone.className = "alert " + classe;
    zone.textContent = texte;
    if (zone.scrollIntoView) zone.scrollIntoView({ block: "nearest" }); // the button is at the bottom
  }

  function formulaire() {
    return document.querySelector("form[data-brouillon]");
  }

  function jeton() {
    var champ = document.querySelector("input[name=csrfmiddlewaretoken]");
    return champ ? champ.value : "";
  }

  function raisons(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var textes = [];
    doc.querySelectorAll("form .alert-danger p, form .invalid-feedback").forEach(function (n) {
      var t = n.textContent.trim();
      if (t && textes.indexOf(t) < 0) textes.push(t);
    });
    return textes.join(" ") || "le formulaire n’a pas été accepté.";
  }

  function envoyer(brouillon) {
    var donnees = new FormData();
    brouillon.champs.forEach(function (c) { donnees.append(c[0], c[1]); });
    donnees.append("csrfmiddlewaretoken", jeton());
    return fetch(brouillon.action, { method: "POST", body: donnees, credentials: "same-origin" }).then(
      function (reponse) {
        var chemin = new URL(reponse.url).pathname;
        if (reponse.redirected && chemin.indexOf("/comptes/connexion/") === 0) {
          montrer("alert-warning", "Contact en attente d’envoi : reconnectez-vous pour l’envoyer.");
          return "attente";
        }
        if (reponse.ok && reponse.redirected) {
          oublier(brouillon.cle);
          return reponse.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var message = doc.querySelector(".messages .alert-success");
            var texte = "Contact envoyé." + (message ? " " + message.textContent.trim() : "");
            var form = formulaire();
            if (form && form.elements.cle_envoi.value === brouillon.cle) {
              // The household's file, as after a plain send; the message read by fetch is shown there.
              sessionStorage.setItem(ENVOYE, texte);
              window.location.assign(reponse.url);
            } else {
              montrer("alert-success", texte);
            }
            return "envoye";
          });
        }
        if (reponse.status >= 500) return "attente";
        return (reponse.ok ? reponse.text() : Promise.resolve("")).then(function (html) {
          brouillon.etat = "refuse";
          brouillon.raison = html ? raisons(html) : "le serveur a refusé l’envoi (" + reponse.status + ").";
          garder(brouillon);
          var form = formulaire();
          var rendu = html && new DOMParser().parseFromString(html, "text/html").querySelector("form[data-brouillon]");
          if (form && rendu && form.elements.cle_envoi.value === brouillon.cle) {
            // The form as the server shows it: each message next to its field, the text typed kept.
            form.innerHTML = rendu.innerHTML;
          }
          montrer("alert-danger", "Refusé : " + brouillon.raison + " Votre saisie est conservée pour la corriger.");
          return "refuse";
        });
      },
      function () {
        montrer("alert-warning", "Contact en attente d’envoi : il sera envoyé au retour du réseau.");
        return "attente";
      }
    );
  }

  function envoyerTout() {
    if (envoiEnCours) return;
    var enAttente = lire().filter(function (b) { return b.etat === "attente"; });
    if (!enAttente.length) return;
    envoiEnCours = true;
    enAttente
      .reduce(function (suite, b) { return suite.then(function () { return envoyer(b); }); }, Promise.resolve())
      .then(function () { envoiEnCours = false; }, function () { envoiEnCours = false; });
  }

  function restaurer(form, brouillon) {
    Array.prototype.forEach.call(form.elements, function (champ) {
      if (!champ.name || champ.name === "csrfmiddlewaretoken") return;
      var valeurs = brouillon.champs.filter(function (c) { return c[0] === champ.name; })
        .map(function (c) { return c[1]; });
      if (champ.type === "checkbox" || champ.type === "radio") champ.checked = valeurs.indexOf(champ.value) >= 0;
      else if (champ.type !== "submit" && champ.type !== "button") champ.value = valeurs.length ? valeurs[0] : "";
    });
    if (brouillon.etat === "saisie") {
      annoncerRestauration(form, brouillon);
    } else if (brouillon.etat === "refuse") {
      montrer("alert-danger", "Refusé : " + brouillon.raison + " Votre saisie est conservée pour la corriger.");
    } else {
      montrer("alert-warning", "Contact en attente d’envoi : il sera envoyé au retour du réseau.");
    }
  }

  function champsDe(form) {
    var champs = [];
    new FormData(form).forEach(function (valeur, nom) {
      if (nom !== "csrfmiddlewaretoken") champs.push([nom, valeur]);
    });
    return champs;
  }

  function sansCle(champs) {
    return JSON.stringify(champs.filter(function (c) { return c[0] !== "cle_envoi"; }));
  }

  function annoncerRestauration(form, brouillon) {
    var quand = new Date(brouillon.cree);
    var zone = zoneEtat();
    zone.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
    zone.textContent = "";
    var texte = document.createElement("p");
    texte.className = "mb-0 me-auto";
    // The programme's times are Paris times, whatever the device's clock zone.
    texte.textContent = "Brouillon restauré du " +
      quand.toLocaleDateString("fr-FR", { timeZone: "Europe/Paris" }) + " à " +
      quand.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" }) +
      " : la saisie interrompue est reprise, elle n’est pas encore enregistrée.";
    var bouton = document.createElement("button");
    bouton.type = "button";
    bouton.className = "btn btn-outline-dark";
    bouton.textContent = "Effacer le brouillon";
    bouton.addEventListener("click", function () {
      oublier(brouillon.cle);
      form.reset(); // back to the values the server rendered
      form.elements.cle_envoi.value = nouvelleCle();
      zone.className = "alert alert-info";
      zone.textContent = "Brouillon effacé.";
      var premier = form.querySelector("input:not([type=hidden]), select, textarea");
      if (premier) premier.focus();
    });
    zone.appendChild(texte);
    zone.appendChild(bouton);
    // A reload brings the page back where it was, below the notice: the notice is shown instead.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    if (zone.scrollIntoView) zone.scrollIntoView({ block: "nearest" });
  }

  function preparer(form) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href).pathname;
    var rendu = sansCle(champsDe(form)); // the form as the server rendered it, before any draft
    var miens = lire().filter(function (b) { return b.action === action; });
    // A draft waiting or refused is the queue's: it is restored as such, never as a draft in progress.
    var precedent = miens.filter(function (b) { return b.etat !== "saisie"; }).pop() || miens.pop();
    if (precedent) restaurer(form, precedent);
    else if (!form.elements.cle_envoi.value) form.elements.cle_envoi.value = nouvelleCle();
    var soumises = {}; // keys handed to the queue on this page: typing no longer keeps them
    var minuteur = null;

    function garderSaisie() {
      clearTimeout(minuteur);
      minuteur = null;
      var cle = form.elements.cle_envoi.value;
      var existant = lire().filter(function (b) { return b.cle === cle; })[0];
      if (existant ? existant.etat === "attente" : soumises[cle]) return; // the queue sends it as saved
      var champs = champsDe(form);
      if (!existant && sansCle(champs) === rendu) return; // nothing typed yet
      if (existant && existant.etat === "refuse") {
        existant.champs = champs; // still refused until sent again, with its reason
        garder(existant);
        return;
      }
      garder({ cle: cle, action: action, champs: champs, cree: Date.now(), etat: "saisie", utilisateur: utilisateur });
    }

    function plusTard() {
      clearTimeout(minuteur);
      minuteur = setTimeout(garderSaisie, ATTENTE_SAISIE);
    }

    form.addEventListener("input", plusTard);
    form.addEventListener("change", plusTard);
    // Leaving the page (reload, link, closed tab) keeps what was typed in the last instant too.
    window.addEventListener("pagehide", function () { if (minuteur) garderSaisie(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && minuteur) garderSaisie();
    });

    form.addEventListener("submit", function (evenement) {
      evenement.preventDefault();
      clearTimeout(minuteur);
      minuteur = null;
      soumises[form.elements.cle_envoi.value] = true;
      var brouillon = { cle: form.elements.cle_envoi.value, action: action, champs: champsDe(form), cree: Date.now(),
        etat: "attente", utilisateur: utilisateur };
      garder(brouillon);
      envoyer(brouillon);
    });
  }

  function toutEffacer() {
    localStorage.removeItem(CLE);
    sessionStorage.removeItem(ENVOYE);
    if (window.caches) caches.delete(CACHE);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.getRegistrations().then(function (regs) {
        regs.forEach(function (r) { r.unregister(); });
      });
    }
  }

  document.addEventListener("submit", function (evenement) {
    var action = evenement.target.getAttribute("action") || "";
    if (action.indexOf("/comptes/deconnexion/") >= 0) toutEffacer();
  });

  ecrire(lire()); // drops the drafts older than 24 hours
  var envoye = sessionStorage.getItem(ENVOYE);
  if (envoye) {
    sessionStorage.removeItem(ENVOYE);
    montrer("alert-success", envoye);
  }
  var form = formulaire();
  if (form) {
    preparer(form);
    if (navigator.serviceWorker && form.dataset.serviceWorker) {
      navigator.serviceWorker.register(form.dataset.serviceWorker, { scope: form.dataset.portee }).catch(function () {});
    }
  }
  window.addEventListener("online", envoyerTout);
  if (navigator.onLine) envoyerTout();
})();
