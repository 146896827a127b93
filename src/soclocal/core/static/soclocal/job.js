// Keeps a job's progress page up to date without reloading it.
const box = document.getElementById("job");
if (box) {
  const $ = (id) => document.getElementById(id);
  const poll = async () => {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    $("job-status").textContent = job.status_label;
    $("job-progress").value = job.percent;
    $("job-message").textContent = `${job.percent}%` + (job.message ? `: ${job.message}` : "");
    if (job.result_url) {
      $("job-result-link").href = job.result_url;
      $("job-result").hidden = false;
    }
    if (job.errors.length) {
      $("job-error-list").replaceChildren(...job.errors.map((e) => {
        const li = document.createElement("li");
        li.textContent = e;
        return li;
      }));
      $("job-errors").hidden = false;
    }
    if (!job.finished) setTimeout(poll, 1000);
  };
  poll();
}
