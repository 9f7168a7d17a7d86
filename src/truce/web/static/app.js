// The truce page: pick or upload a scenario, edit it in a form (stances, no-deal values,
// which levers are in force), analyse, simulate, forecast, compare the levers and follow the
// ceasefire's durability through the JSON API, draw the figures the API returns (the same
// Plotly figures as the report), each with a line in plain words, and download the edited
// scenario and the report. No external assets: Plotly's JavaScript comes from this server
// (/static/plotly.min.js).
import { $, api, ApiError, element, loadPlotly, readToken, reportError, showProblems, sleep, state, status } from "./core.js";
import { explainScenario, resetAdvice, startAdvice } from "./advice.js";
import { leverNote, renderForms } from "./form.js";
import { showAnalysis, showDurability, showForecast, showSimulation, showWhatif } from "./results.js";

// The background jobs: where each is started, its button, progress bar and the section it fills.
const JOBS = {
  simulate: { path: "/api/simulate", button: "run-simulation", bar: "progress", text: "progress-text", unit: "runs" },
  whatif: { path: "/api/whatif", button: "run-whatif", bar: "progress-whatif", text: "progress-whatif-text", unit: "variants", section: "whatif", title: "Mediator levers" },
  durability: { path: "/api/durability", button: "run-durability", bar: "progress-durability", text: "progress-durability-text", unit: "runs", section: "durability", title: "Durability" },
};

export async function analyze() {
  const serial = ++state.serial.analyze;
  status("Analysing the agreement space…");
  try {
    const payload = await api("POST", "/api/analyze", state.scenario);
    if (serial !== state.serial.analyze) return;
    showProblems([]);
    showAnalysis(payload);
    explainScenario();
    status(`Analysed: ${payload.size.parties} parties, ${payload.size.issues} issues, ${payload.size.outcomes.toLocaleString()} possible packages.`);
  } catch (error) {
    if (serial === state.serial.analyze) reportError(error);
  }
}

function runOptions() {
  return {
    scenario: state.scenario,
    runs: Number($("runs").value) || 1,
    seed: Number($("seed").value) || 0,
    protocol: $("protocol").value,
  };
}

// Start a background job, show its progress under its button, and hand its result to show().
async function runJob(kind, options, show) {
  const spec = JOBS[kind];
  const serial = ++state.serial[kind];
  const button = $(spec.button);
  const progress = $(spec.bar);
  const text = $(spec.text);
  state[`${kind}Running`] = true;
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  text.textContent = "starting…";
  const cancel = element("button", { type: "button", class: "cancel", id: `cancel-${kind}`, text: "Cancel" });
  try {
    let job = await api("POST", spec.path, options);
    cancel.addEventListener("click", () => cancelJob(job.id, cancel));
    text.after(cancel);
    while (job.status === "queued" || job.status === "running") {
      if (serial !== state.serial[kind]) return;
      progress.value = job.progress.total ? job.progress.done / job.progress.total : 0;
      text.textContent = `${job.status}: ${job.progress.done.toLocaleString()} of ${job.progress.total.toLocaleString()} ${spec.unit}`;
      await sleep(250);
      job = await api("GET", `/api/jobs/${job.id}`);
    }
    if (serial !== state.serial[kind]) return;
    if (job.status === "cancelled") {
      progress.hidden = true;
      text.textContent = `cancelled: ${job.progress.done.toLocaleString()} of ${job.progress.total.toLocaleString()} ${spec.unit} done, no result kept`;
      return;
    }
    if (job.status === "failed") throw new ApiError(422, [{ path: "", message: job.error }]);
    progress.value = 1;
    text.textContent = `done: ${job.progress.total.toLocaleString()} ${spec.unit}`;
    show(job.result);
    if (spec.section) text.append(" · ", element("a", { href: `#${spec.section}`, text: `see ${spec.title}` }));
  } catch (error) {
    if (serial === state.serial[kind]) {
      progress.hidden = true;
      text.textContent = "failed: see the problems above";
      reportError(error);
    }
  } finally {
    cancel.remove();
    if (serial === state.serial[kind]) {
      state[`${kind}Running`] = false;
      button.disabled = false;
      if (kind === "whatif") leverNote();
    }
  }
}

// Ask the server to stop a job: a queued one never starts, a running one stops after its current chunk of runs.
async function cancelJob(id, button) {
  button.disabled = true;
  button.textContent = "Cancelling…";
  try {
    await api("DELETE", `/api/jobs/${id}`);
  } catch (error) {
    reportError(error);
  }
}

export async function simulate() {
  state.simulating = true;
  await runJob("simulate", runOptions(), showSimulation);
  state.simulating = false;
}

export async function whatif() {
  const hold = Math.round(Number($("hold-days").value)) || 90;
  await runJob("whatif", { ...runOptions(), hold_days: hold }, showWhatif);
}

export async function durability() {
  const options = runOptions();
  await runJob("durability", options, (result) => showDurability(result, options.runs));
}

// The forecast answers at once (no job): a short status under its button.
export async function forecast() {
  const serial = ++state.serial.forecast;
  const model = $("forecast-model").value;
  const button = $("run-forecast");
  const text = $("forecast-text");
  button.disabled = true;
  text.textContent = "forecasting…";
  const started = performance.now();
  try {
    const payload = await api("POST", "/api/forecast", { scenario: state.scenario, model });
    if (serial !== state.serial.forecast) return;
    showForecast(payload, model);
    text.textContent = `done in ${((performance.now() - started) / 1000).toFixed(1)} s · `;
    text.append(element("a", { href: "#forecast", text: "see Forecast" }));
  } catch (error) {
    if (serial === state.serial.forecast) {
      text.textContent = "failed: see the problems above";
      reportError(error);
    }
  } finally {
    if (serial === state.serial.forecast) button.disabled = false;
  }
}

let analyzeTimer = null;

let simulateTimer = null;

let forecastTimer = null;

export function edited() {
  clearTimeout(analyzeTimer);
  analyzeTimer = setTimeout(analyze, 250);
  const again = $("auto-rerun").checked;
  if (state.simulation) {
    $("stale-note").hidden = false;
    if (again) {
      clearTimeout(simulateTimer);
      simulateTimer = setTimeout(simulate, 700);
    }
  }
  if (state.forecast) {
    $("forecast-stale").hidden = false;
    if (again) {
      clearTimeout(forecastTimer);
      forecastTimer = setTimeout(forecast, 400);
    }
  }
  // The lever comparison and durability are heavier: they wait for the person to run them again.
  if (state.whatif) $("whatif-stale").hidden = false;
  if (state.durability) $("durability-stale").hidden = false;
}

async function setScenario(scenario, label) {
  state.scenario = scenario;
  state.label = label;
  state.simulation = null;
  state.analysis = null;
  state.forecast = null;
  state.whatif = null;
  state.durability = null;
  clearTimeout(simulateTimer);
  clearTimeout(forecastTimer);
  // Answers still on their way concern the previous scenario: ignore them.
  for (const kind of ["simulate", "forecast", "whatif", "durability"]) {
    state.serial[kind] += 1;
    state[`${kind}Running`] = false;
  }
  for (const spec of Object.values(JOBS)) {
    $(spec.bar).hidden = true;
    $(spec.text).textContent = "";
    $(spec.button).disabled = false;
  }
  $("run-forecast").disabled = false;
  $("forecast-text").textContent = "";
  $("scenario-title").textContent = `${scenario.name} (${label})`;
  for (const id of ["summary", "simulation", "forecast", "whatif", "durability"]) $(id).hidden = true;
  for (const id of ["figure-rounds", "figure-terms", "figure-positions", "figure-levers", "figure-survival"]) if (window.Plotly) window.Plotly.purge($(id));
  $("workspace").hidden = false;
  resetAdvice();
  renderForms();
  await analyze();
}

function slug(text) {
  return (text || "scenario").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "scenario";
}

function download(blob, name) {
  const link = element("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
}

async function downloadReport() {
  const button = $("download-report");
  button.disabled = true;
  status("Writing the report (analysis and simulation)…");
  try {
    const html = await api("POST", "/api/report", runOptions());
    download(new Blob([html], { type: "text/html" }), `${slug(state.scenario.name)}-report.html`);
    status("Report downloaded.");
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

async function start() {
  readToken();
  status("Loading…");
  try {
    await loadPlotly();
    const scenarios = await api("GET", "/api/scenarios");
    const select = $("scenario-select");
    for (const entry of scenarios) select.append(element("option", { value: entry.name, text: `${entry.name}: ${entry.title}` }));
    status("Choose a built-in scenario or upload a scenario file.");
  } catch (error) {
    reportError(error);
    return;
  }
  $("scenario-select").addEventListener("change", async (event) => {
    const name = event.target.value;
    if (!name) return;
    $("upload").value = "";
    try {
      await setScenario(await api("GET", `/api/scenarios/${encodeURIComponent(name)}`), `built-in: ${name}`);
    } catch (error) {
      reportError(error);
    }
  });
  $("upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    $("scenario-select").value = "";
    try {
      const scenario = await api("POST", "/api/parse", await file.text(), { text: true });
      await setScenario(scenario, `file: ${file.name}`);
    } catch (error) {
      reportError(error);
    }
  });
  $("run-simulation").addEventListener("click", simulate);
  $("run-forecast").addEventListener("click", forecast);
  $("run-whatif").addEventListener("click", whatif);
  $("run-durability").addEventListener("click", durability);
  $("forecast-model").addEventListener("change", () => {
    if (state.forecast) forecast();
  });
  $("hold-days").addEventListener("change", () => {
    if (state.whatif) $("whatif-stale").hidden = false;
  });
  $("download-scenario").addEventListener("click", () => {
    download(new Blob([JSON.stringify(state.scenario, null, 2) + "\n"], { type: "application/json" }), `${slug(state.scenario.name)}.json`);
  });
  $("download-report").addEventListener("click", downloadReport);
  startAdvice();
}

document.addEventListener("truce-edited", edited);
start();
