// A job's page (cradle.jobs): polls the job's status every two seconds and moves the progress
// bar and its text, which is a polite live region, so a screen reader hears the progress
// without losing its place. When the job ends the page reloads once to show the result. Without
// script, the page refreshes itself (a meta refresh inside <noscript>) and has a link to do so.
(() => {
  const box = document.querySelector("[data-job-status-url]");
  if (!box) return;
  const url = box.dataset.jobStatusUrl;
  const bar = document.getElementById("job-progress-bar");
  const text = document.getElementById("job-progress-text");
  const state = document.querySelector("#job-state [data-job-state]");
  const EVERY_MS = 2000;

  async function poll() {
    let status;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      status = await response.json();
    } catch (error) {
      setTimeout(poll, EVERY_MS * 3);
      return;
    }
    if (status.finished) {
      window.location.reload();
      return;
    }
    if (status.percent === null) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = status.percent;
      bar.textContent = `${status.percent}%`;
    }
    if (text.textContent !== status.progress_text) text.textContent = status.progress_text;
    if (state && state.textContent !== status.state_label) state.textContent = status.state_label;
    setTimeout(poll, EVERY_MS);
  }

  setTimeout(poll, EVERY_MS);
})();
