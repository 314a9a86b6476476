// Autocomplete (comptes/widgets.py): a combobox whose listbox htmx fills from a search endpoint.
// Keyboard: Down/Up move among the options, Enter chooses, Escape closes. Choosing sets the hidden
// input (the pk) and fires its change event; typing clears it until an option is chosen again.
(function () {
  "use strict";

  function parts(input) {
    var root = input.closest(".asea-autocomplete");
    return {
      root: root,
      valeur: root.querySelector("[data-autocomplete-valeur]"),
      liste: document.getElementById(input.getAttribute("aria-controls")),
    };
  }

  function options(liste) {
    return Array.prototype.slice.call(liste.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }

  function fermer(input, liste) {
    liste.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function activer(input, liste, index) {
    var opts = options(liste);
    if (!opts.length) return;
    index = (index + opts.length) % opts.length;
    opts.forEach(function (opt, i) {
      opt.setAttribute("aria-selected", i === index ? "true" : "false");
      opt.classList.toggle("active", i === index);
    });
    input.setAttribute("aria-activedescendant", opts[index].id);
    opts[index].scrollIntoView({ block: "nearest" });
  }

  function choisir(input, opt) {
    var p = parts(input);
    input.value = opt.textContent.trim();
    p.valeur.value = opt.dataset.value;
    fermer(input, p.liste);
    p.valeur.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var input = evt.detail.elt;
    if (!input.matches || !input.matches("[data-autocomplete]")) return;
    evt.detail.parameters = { q: input.value };
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    var liste = evt.detail.target;
    if (liste.getAttribute("role") !== "listbox") return;
    var input = document.querySelector('[aria-controls="' + liste.id + '"]');
    if (!input) return;
    liste.querySelectorAll('[role="option"]').forEach(function (opt, i) {
      opt.id = liste.id + "_" + i;
    });
    input.setAttribute("aria-expanded", liste.children.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  });

  document.addEventListener("input", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("[data-autocomplete]")) return;
    var p = parts(input);
    if (p.valeur.value) {
      p.valeur.value = "";
      p.valeur.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (!input.value.trim()) fermer(input, p.liste);
  });

  // The text alone changes nothing (a list filtered on change waits for a chosen option).
  document.addEventListener(
    "change",
    function (evt) {
      if (evt.target.matches && evt.target.matches("[data-autocomplete]")) evt.stopPropagation();
    },
    true
  );

  document.addEventListener("keydown", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("[data-autocomplete]")) return;
    var p = parts(input);
    var opts = options(p.liste);
    var actif = input.getAttribute("aria-activedescendant");
    var index = opts.findIndex(function (o) { return o.id === actif; });
    if (evt.key === "ArrowDown" && opts.length) {
      evt.preventDefault();
      activer(input, p.liste, index + 1);
    } else if (evt.key === "ArrowUp" && opts.length) {
      evt.preventDefault();
      activer(input, p.liste, index < 0 ? -1 : index - 1);
    } else if (evt.key === "Enter" && index >= 0) {
      evt.preventDefault();
      choisir(input, opts[index]);
    } else if (evt.key === "Escape" && input.getAttribute("aria-expanded") === "true") {
      evt.preventDefault();
      fermer(input, p.liste);
    }
  });

  document.addEventListener("click", function (evt) {
    var opt = evt.target.closest && evt.target.closest('[role="listbox"] [role="option"]');
    if (opt && opt.getAttribute("aria-disabled") !== "true") {
      var input = document.querySelector('[aria-controls="' + opt.parentElement.id + '"]');
      if (input) choisir(input, opt);
      return;
    }
    document.querySelectorAll('[data-autocomplete][aria-expanded="true"]').forEach(function (input) {
      if (!input.closest(".asea-autocomplete").contains(evt.target)) fermer(input, parts(input).liste);
    });
  });
})();
