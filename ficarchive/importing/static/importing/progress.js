// Follows a running import: polls its status URL and updates the bar; reloads when the state
// changes (the page then shows the plan, the report or the reason it failed). Without
// JavaScript the page refreshes itself (<meta refresh> in <noscript>).
(function () {
  "use strict";
  const section = document.getElementById("job-status");
  if (!section) return;
  const url = section.dataset.statusUrl;
  const shown = section.dataset.status;
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const job = await response.json();
        if (job.status !== shown) {
          window.location.reload();
          return;
        }
        if (bar && job.total) {
          bar.max = job.total;
          bar.value = job.done;
          bar.textContent = job.percent + "%";
        }
        if (count && job.total) count.textContent = job.done + " of " + job.total;
      }
    } catch (error) {
      // The server may be restarting; try again at the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
})();
