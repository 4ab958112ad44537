// Tag autocomplete for the posting form: suggests existing tags for the name being typed after
// the last comma. Without JavaScript the fields are plain comma-separated text boxes.
(function () {
  "use strict";
  const list = document.getElementById("tag-suggestions");
  if (!list) return;
  let timer = null;
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    input.setAttribute("list", "tag-suggestions");
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        const parts = input.value.split(",");
        const typed = parts.pop().trim();
        const before = parts.map(function (p) { return p.trim(); }).filter(Boolean);
        if (typed.length < 2) { list.replaceChildren(); return; }
        const url = "/posting/autocomplete/?type=" + encodeURIComponent(input.dataset.autocomplete) +
          "&q=" + encodeURIComponent(typed);
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            list.replaceChildren();
            data.tags.forEach(function (name) {
              const option = document.createElement("option");
              option.value = before.concat([name]).join(", ");
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 150);
    });
  });
})();
