// The truce page: pick or upload a scenario, edit it in a form, analyse and simulate it
// through the JSON API, draw the figures the API returns (the same Plotly figures as the
// report) and download the edited scenario and the report. No external assets: Plotly's
// JavaScript comes from this server (/static/plotly.min.js).
"use strict";

const state = {
  token: null,
  scenario: null,        // the edited scenario, as the API's JSON
  label: "",             // where it came from (built-in name or file name)
  analysis: null,
  simulation: null,
  analyzeSerial: 0,      // answers to older requests are ignored
  simulateSerial: 0,
  simulating: false,
};
const PLOT_CONFIG = { displaylogo: false, responsive: true };
const KINDS = { triangular: 3, uniform: 2, normal: 2, beta: 2 };
const PARTY_FIELDS = [
  ["reservation", "no-deal value"],
  ["cost_of_delay", "cost of delay / round"],
  ["trust", "trust"],
];

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// ------------------------------------------------------------------ access token
function readToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    sessionStorage.setItem("truce-token", fromUrl);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  state.token = fromUrl || sessionStorage.getItem("truce-token");
}

function headers(extra = {}) {
  const all = { ...extra };
  if (state.token) all.Authorization = "Bearer " + state.token;
  return all;
}

class ApiError extends Error {
  constructor(status, problems) {
    super(problems.map((p) => (p.path ? p.path + ": " : "") + p.message).join("; "));
    this.status = status;
    this.problems = problems;
  }
}

async function api(method, path, body, { text = false } = {}) {
  const options = { method, headers: headers() };
  if (body !== undefined) {
    options.headers["Content-Type"] = text ? "text/plain" : "application/json";
    options.body = text ? body : JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const problems = data && Array.isArray(data.detail) ? data.detail : [{ path: "", message: `HTTP ${response.status}` }];
    throw new ApiError(response.status, problems);
  }
  return data;
}

async function loadPlotly() {
  if (window.Plotly) return;
  const response = await fetch("/static/plotly.min.js", { headers: headers() });
  if (!response.ok) throw new Error("could not load the plotting library from this server");
  const script = document.createElement("script");
  script.textContent = await response.text();
  document.head.append(script);
}

// ------------------------------------------------------------- status, problems
function status(text) {
  $("status").textContent = text;
}

function showProblems(problems, heading = "The scenario has problems:") {
  const box = $("problems");
  document.querySelectorAll(".invalid[data-path]").forEach((node) => node.classList.remove("invalid"));
  if (!problems || !problems.length) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const list = element("ul");
  for (const problem of problems) {
    const item = element("li");
    if (problem.path) item.append(element("code", { text: problem.path }), ": ");
    item.append(problem.message);
    list.append(item);
    const input = document.querySelector(`[data-path="${CSS.escape(problem.path)}"]`);
    if (input) input.classList.add("invalid");
  }
  box.replaceChildren(element("strong", { text: heading }), list);
  box.hidden = false;
}

function reportError(error) {
  if (error instanceof ApiError) showProblems(error.problems, error.status === 422 ? "The scenario has problems:" : `The server answered ${error.status}:`);
  else showProblems([{ path: "", message: String(error.message || error) }], "Something went wrong:");
  status("");
}

// -------------------------------------------------------------- uncertain numbers
function formatUncertain(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const kind = Object.keys(value).find((key) => key in KINDS && value[key] !== null);
  return kind ? `${kind} ${value[kind].join(" ")}` : JSON.stringify(value);
}

// "0.6" -> 0.6; "triangular 0.5 0.6 0.7" (commas, brackets and a colon allowed) -> {triangular: [...]}.
function parseUncertain(text) {
  const trimmed = text.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return { value: Number(trimmed) };
  const match = /^([a-z]+)\s*:?\s*\[?\s*([^\]]*)\]?$/i.exec(trimmed);
  if (match && match[1].toLowerCase() in KINDS) {
    const kind = match[1].toLowerCase();
    const numbers = match[2].split(/[\s,]+/).filter(Boolean).map(Number);
    if (numbers.length === KINDS[kind] && numbers.every(Number.isFinite)) return { value: { [kind]: numbers } };
    return { error: `${kind} needs ${KINDS[kind]} numbers` };
  }
  return { error: "expected a number or a distribution such as 'triangular 0.5 0.6 0.7'" };
}

// --------------------------------------------------------------------- the form
function pathText(parts) {
  let text = "";
  for (const part of parts) text += typeof part === "number" ? `[${part}]` : (text ? "." : "") + part;
  return text;
}

function setAt(parts, value) {
  let target = state.scenario;
  for (const part of parts.slice(0, -1)) target = target[part];
  target[parts[parts.length - 1]] = value;
}

function uncertainInput(parts, value, label) {
  const input = element("input", { type: "text", class: "uncertain", value: formatUncertain(value), "aria-label": label, dataset: { path: pathText(parts) } });
  input.addEventListener("change", () => {
    const parsed = parseUncertain(input.value);
    if (parsed.error) {
      input.classList.add("invalid");
      showProblems([{ path: pathText(parts), message: parsed.error }], "Not a number:");
      return;
    }
    input.classList.remove("invalid");
    setAt(parts, parsed.value);
    edited();
  });
  return input;
}

function optionSelect(parts, options, value, label) {
  const select = element("select", { "aria-label": label, dataset: { path: pathText(parts) } });
  for (const option of options) select.append(element("option", { value: option, text: option, selected: option === value }));
  select.addEventListener("change", () => {
    setAt(parts, select.value);
    edited();
  });
  return select;
}

function renderForms() {
  const scenario = state.scenario;
  const issues = scenario.issues;

  // One column per party, one row per quantity: distributions need the width.
  const partyIndexes = scenario.actors.map((actor, a) => [actor, a]).filter(([actor]) => (actor.role || "party") === "party");
  const parties = element("table");
  parties.append(element("tr", {}, element("th"), ...partyIndexes.map(([actor]) => element("th", { text: actor.name }))));
  for (const [field, label] of PARTY_FIELDS) {
    const row = element("tr", {}, element("td", { text: label }));
    for (const [actor, a] of partyIndexes) {
      const value = field in actor ? actor[field] : field === "trust" ? 1 : 0;
      row.append(element("td", {}, uncertainInput(["actors", a, field], value, `${actor.name}: ${label}`)));
    }
    parties.append(row);
  }
  $("parties-form").replaceChildren(element("div", { class: "table-scroll" }, parties));

  const blocks = [];
  scenario.actors.forEach((actor, a) => {
    const stances = actor.stances || {};
    const ids = issues.map((issue) => issue.id).filter((id) => id in stances);
    if (!ids.length) return;
    const role = actor.role || "party";
    const table = element("table", { class: "stances" });
    table.append(element("tr", {}, element("th", { text: "issue" }), element("th", { text: "position" }), element("th", { text: "salience" })));
    for (const issue of issues) {
      const stance = stances[issue.id];
      if (!stance) continue;
      const base = ["actors", a, "stances", issue.id];
      const position = issue.kind === "numeric"
        ? uncertainInput([...base, "position"], stance.position, `${actor.name}: ${issue.name}: position`)
        : optionSelect([...base, "position"], issue.options, stance.position, `${actor.name}: ${issue.name}: position`);
      if (stance.values && issue.kind !== "numeric") {
        // A values table ranks the options itself; the position is its top option, set in the file.
        position.disabled = true;
        position.title = "Set by this actor's values table (its option of highest value); edit the scenario file to change it.";
      }
      const salience = uncertainInput([...base, "salience"], stance.salience, `${actor.name}: ${issue.name}: salience`);
      table.append(element("tr", {}, element("td", { text: issue.name }), element("td", {}, position), element("td", {}, salience)));
    }
    const note = Object.values(stances).some((s) => s.values)
      ? element("p", { class: "hint", text: "Greyed positions come from this actor's values tables, which rank every option; salience says how much each issue weighs." })
      : null;
    blocks.push(element("details", { open: role === "party", dataset: { actor: actor.id } }, element("summary", { text: `${actor.name} (${role})` }), note, table));
  });
  $("stances-form").replaceChildren(...blocks);

  const levers = scenario.levers || [];
  $("levers-block").hidden = !levers.length;
  const names = Object.fromEntries(scenario.actors.map((actor) => [actor.id, actor.name]));
  $("levers-form").replaceChildren(
    ...levers.map((lever, l) => {
      const box = element("input", { type: "checkbox", checked: lever.active !== false, dataset: { path: pathText(["levers", l, "active"]) } });
      box.addEventListener("change", () => {
        setAt(["levers", l, "active"], box.checked);
        edited();
      });
      return element("label", { class: "check" }, box, `${lever.id} (${names[lever.by] || lever.by}, ${lever.kind.replace("_", " ")})`);
    }),
  );
}

// ------------------------------------------------------------------ the figures
function draw(id, figure) {
  return window.Plotly.react($(id), figure.data, figure.layout, PLOT_CONFIG);
}

function card(label, value, sub) {
  return element("div", { class: "card" }, element("div", { class: "card-label", text: label }), element("div", { class: "card-value", text: value }), element("div", { class: "card-sub", text: sub || "" }));
}

function percent(value) {
  return value === 0 || value >= 0.1 ? `${Math.round(value * 100)}%` : `${(value * 100).toFixed(1)}%`;
}

function showAnalysis(payload) {
  state.analysis = payload;
  $("reading-agreement").textContent = payload.readings.agreement_space;
  draw("figure-agreement-space", payload.figures.agreement_space);
  const solutions = payload.analysis.solutions;
  if (!solutions.length) {
    $("solutions-table").replaceChildren();
    return;
  }
  const names = payload.analysis.parties;
  const table = element("table");
  table.append(element("tr", {}, element("th"), ...solutions.map((s) => element("th", { text: s.name }))));
  for (const issue of Object.keys(solutions[0].terms)) table.append(element("tr", {}, element("td", { text: issue }), ...solutions.map((s) => element("td", { text: s.terms[issue] }))));
  for (const [id, name] of Object.entries(names)) {
    table.append(element("tr", {}, element("td", { text: `${name}: utility (gain)` }), ...solutions.map((s) => element("td", { text: `${s.utilities[id].toFixed(3)} (${s.gains[id] >= 0 ? "+" : ""}${s.gains[id].toFixed(3)})` }))));
  }
  $("solutions-table").replaceChildren(element("h3", { text: "The packages the solution concepts pick" }), table);
}

function showSimulation(payload) {
  state.simulation = payload;
  const result = payload.simulation;
  $("summary").hidden = false;
  $("simulation").hidden = false;
  $("stale-note").hidden = true;
  $("reading-summary").textContent = payload.readings.summary;
  $("reading-simulation").textContent = payload.readings.simulation;
  const [low, high] = result.agreement_interval;
  const cards = [card(`Chance of a deal within ${result.rounds_limit} rounds`, percent(result.agreement_rate), `95% interval ${percent(low)} to ${percent(high)}, ${result.runs.toLocaleString()} runs`)];
  const timing = result.rounds_to_agreement;
  if (timing.mean !== null) cards.push(card("Expected time to agreement", `${timing.mean.toFixed(1)} rounds`, `median ${timing.median}; 80% between ${timing.p10} and ${timing.p90}`));
  if (state.analysis) {
    const zopa = state.analysis.analysis.zopa;
    cards.push(card("Zone of possible agreement", zopa.exists ? `${Math.round(zopa.count).toLocaleString()} packages` : "none", zopa.exists ? `${percent(zopa.share)} of ${zopa.n_outcomes.toLocaleString()}` : "no package beats no deal for every party"));
  }
  $("summary-cards").replaceChildren(...cards);
  const common = result.most_common_package;
  if (common) {
    const table = element("table");
    table.append(element("tr", {}, element("th", { text: "issue" }), element("th", { text: "term" }), element("th", { text: "share of all deals with this term" })));
    for (const [issue, option] of Object.entries(common.terms)) {
      table.append(element("tr", {}, element("td", { text: issue }), element("td", {}, element("strong", { text: option })), element("td", { text: percent(result.option_shares[issue][option]) })));
    }
    $("summary-package").replaceChildren(element("h3", { text: `The package signed most often (${percent(common.share)} of deals), term by term` }), table);
  } else {
    $("summary-package").replaceChildren();
  }
  draw("figure-rounds", payload.figures.rounds);
  draw("figure-terms", payload.figures.terms);
}

// -------------------------------------------------------------------- the calls
async function analyze() {
  const serial = ++state.analyzeSerial;
  status("Analysing the agreement space…");
  try {
    const payload = await api("POST", "/api/analyze", state.scenario);
    if (serial !== state.analyzeSerial) return;
    showProblems([]);
    showAnalysis(payload);
    status(`Analysed: ${payload.size.parties} parties, ${payload.size.issues} issues, ${payload.size.outcomes.toLocaleString()} possible packages.`);
  } catch (error) {
    if (serial === state.analyzeSerial) reportError(error);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function simulate() {
  const serial = ++state.simulateSerial;
  const options = {
    scenario: state.scenario,
    runs: Number($("runs").value) || 1,
    seed: Number($("seed").value) || 0,
    protocol: $("protocol").value,
  };
  const button = $("run-simulation");
  const progress = $("progress");
  state.simulating = true;
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  try {
    let job = await api("POST", "/api/simulate", options);
    while (job.status === "queued" || job.status === "running") {
      progress.value = job.progress.total ? job.progress.done / job.progress.total : 0;
      $("progress-text").textContent = `${job.status}: ${job.progress.done.toLocaleString()} of ${job.progress.total.toLocaleString()} runs`;
      await sleep(250);
      job = await api("GET", `/api/jobs/${job.id}`);
    }
    if (serial !== state.simulateSerial) return;
    if (job.status === "failed") throw new ApiError(422, [{ path: "", message: job.error }]);
    progress.value = 1;
    $("progress-text").textContent = `done: ${job.progress.total.toLocaleString()} runs`;
    showSimulation(job.result);
  } catch (error) {
    if (serial === state.simulateSerial) reportError(error);
  } finally {
    if (serial === state.simulateSerial) {
      state.simulating = false;
      button.disabled = false;
    }
  }
}

let analyzeTimer = null;
let simulateTimer = null;
function edited() {
  clearTimeout(analyzeTimer);
  analyzeTimer = setTimeout(analyze, 250);
  if (state.simulation) {
    $("stale-note").hidden = false;
    if ($("auto-rerun").checked) {
      clearTimeout(simulateTimer);
      simulateTimer = setTimeout(simulate, 700);
    }
  }
}

async function setScenario(scenario, label) {
  state.scenario = scenario;
  state.label = label;
  state.simulation = null;
  state.analysis = null;
  $("scenario-title").textContent = `${scenario.name} (${label})`;
  $("summary").hidden = true;
  $("simulation").hidden = true;
  $("progress").hidden = true;
  $("progress-text").textContent = "";
  for (const id of ["figure-rounds", "figure-terms"]) if (window.Plotly) window.Plotly.purge($(id));
  $("workspace").hidden = false;
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
    const html = await api("POST", "/api/report", {
      scenario: state.scenario,
      runs: Number($("runs").value) || 1,
      seed: Number($("seed").value) || 0,
      protocol: $("protocol").value,
    });
    download(new Blob([html], { type: "text/html" }), `${slug(state.scenario.name)}-report.html`);
    status("Report downloaded.");
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

// ----------------------------------------------------------------------- start
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
  $("download-scenario").addEventListener("click", () => {
    download(new Blob([JSON.stringify(state.scenario, null, 2) + "\n"], { type: "application/json" }), `${slug(state.scenario.name)}.json`);
  });
  $("download-report").addEventListener("click", downloadReport);
}

start();
