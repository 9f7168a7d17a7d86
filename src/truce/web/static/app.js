// The truce page: pick or upload a scenario, edit it in a form (stances, no-deal values,
// which levers are in force), analyse, simulate, forecast, compare the levers and follow the
// ceasefire's durability through the JSON API, draw the figures the API returns (the same
// Plotly figures as the report), each with a line in plain words, and download the edited
// scenario and the report. No external assets: Plotly's JavaScript comes from this server
// (/static/plotly.min.js).
"use strict";

const state = {
  token: null,
  scenario: null,        // the edited scenario, as the API's JSON
  label: "",             // where it came from (built-in name or file name)
  analysis: null,
  simulation: null,
  forecast: null,
  whatif: null,
  durability: null,
  serial: { analyze: 0, simulate: 0, forecast: 0, whatif: 0, durability: 0 },  // answers to older requests are ignored
  simulating: false,
};
const PLOT_CONFIG = { displaylogo: false, responsive: true };
const KINDS = { triangular: 3, uniform: 2, normal: 2, beta: 2 };
const PARTY_FIELDS = [
  ["reservation", "no-deal value"],
  ["cost_of_delay", "cost of delay / round"],
  ["trust", "trust"],
];
const FORECAST_MODELS = {
  smp: "Spatial Model of Politics (KTAB)",
  expected_utility: "expected-utility model",
  compromise: "weighted-compromise model",
};
// The background jobs: where each is started, its button, progress bar and the section it fills.
const JOBS = {
  simulate: { path: "/api/simulate", button: "run-simulation", bar: "progress", text: "progress-text", unit: "runs" },
  whatif: { path: "/api/whatif", button: "run-whatif", bar: "progress-whatif", text: "progress-whatif-text", unit: "variants", section: "whatif", title: "Mediator levers" },
  durability: { path: "/api/durability", button: "run-durability", bar: "progress-durability", text: "progress-durability-text", unit: "runs", section: "durability", title: "Durability" },
};

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
    options.headers["Content-Type"] = text ? "application/yaml" : "application/json";  // never text/plain: see ContentTypeGuard
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

function loadPlotly() {
  // A served file, not inline text: the page's Content-Security-Policy allows scripts from this server only.
  if (window.Plotly) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = element("script", { src: "/static/plotly.min.js" });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error("could not load the plotting library from this server")));
    document.head.append(script);
  });
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
  const names = actorNames();
  $("levers-form").replaceChildren(
    ...levers.map((lever, l) => {
      const box = element("input", { type: "checkbox", checked: lever.active !== false, "aria-label": `${lever.id} in force`, dataset: { path: pathText(["levers", l, "active"]), lever: lever.id } });
      box.addEventListener("change", () => {
        setAt(["levers", l, "active"], box.checked);
        leverNote();
        edited();
      });
      const cost = lever.cost !== undefined && lever.cost !== null ? `, cost ${lever.cost}` : "";
      return element(
        "label",
        { class: "check lever", title: lever.note || null },
        box,
        element("span", { class: "lever-id", text: lever.id }),
        element("span", { class: "muted", text: `${names[lever.by] || lever.by}, ${lever.kind.replaceAll("_", " ")}${cost}` }),
      );
    }),
  );
  leverNote();
}

function actorNames() {
  return Object.fromEntries(((state.scenario && state.scenario.actors) || []).map((actor) => [actor.id, actor.name]));
}

// Under "Compare levers": which levers the baseline has, or why the comparison is not possible.
function leverNote() {
  const levers = (state.scenario && state.scenario.levers) || [];
  const on = levers.filter((lever) => lever.active !== false).map((lever) => lever.id);
  $("run-whatif").disabled = !levers.length || state.whatifRunning === true;
  $("whatif-note").textContent = !levers.length
    ? "This scenario has no levers to compare."
    : `In force now: ${on.length ? on.join(", ") : "none"}; ${levers.length - on.length} of ${levers.length} levers off. Switch them under 2. Edit.`;
}

// ------------------------------------------------------------------ the figures
function draw(id, figure) {
  return window.Plotly.react($(id), figure.data, figure.layout, PLOT_CONFIG);
}

// The page's result column is narrower than the report: a figure with its panels in two columns
// (the forecast's one panel per issue) is drawn with the same panels one under the other, so the
// option names on each panel's axis do not run into its neighbour.
function stackPanels(figure, { panel = 170, gap = 85 } = {}) {
  const layout = JSON.parse(JSON.stringify(figure.layout));
  const panels = Object.keys(layout)
    .filter((key) => /^xaxis\d*$/.test(key))
    .map((key) => ({ suffix: key.slice(5), x: layout[key], y: layout[`yaxis${key.slice(5)}`] }))
    .filter((p) => p.y && Array.isArray(p.x.domain) && Array.isArray(p.y.domain));
  if (!panels.some((p) => p.x.domain[0] > 0.3)) return figure;  // one column already
  panels.sort((a, b) => b.y.domain[1] - a.y.domain[1] || a.x.domain[0] - b.x.domain[0]);
  const close = (a, b) => Math.abs(a - b) < 1e-6;
  const annotations = layout.annotations || [];
  const title = (p) => annotations.find((a) => a.xref === "paper" && a.yref === "paper" && close(a.x, (p.x.domain[0] + p.x.domain[1]) / 2) && close(a.y, p.y.domain[1]));
  const drawn = new Set(figure.data.map((trace) => trace.xaxis || "x"));
  const shown = panels.filter((p) => drawn.has(`x${p.suffix}`));
  const height = shown.length * panel + (shown.length - 1) * gap;
  shown.forEach((p, i) => {
    const top = 1 - (i * (panel + gap)) / height;
    const heading = title(p);
    if (heading) Object.assign(heading, { x: 0.5, y: top });
    p.x.domain = [0, 1];
    p.y.domain = [Math.max(0, top - panel / height), top];
    p.y.automargin = true;
  });
  for (const p of panels) if (!shown.includes(p)) Object.assign(p.x, { visible: false }), Object.assign(p.y, { visible: false });
  const margin = layout.margin || { t: 70, b: 50 };
  layout.height = height + (margin.t || 0) + (margin.b || 0);
  if (layout.legend) layout.legend.y = -75 / height;
  return { data: figure.data, layout };
}

// How many values a trace's x holds: a plain array, or Plotly's packed {dtype, bdata} (base64).
function valueCount(values) {
  if (Array.isArray(values)) return values.length;
  if (values && typeof values.bdata === "string" && typeof values.dtype === "string") {
    const size = Number(values.dtype.replace(/\D/g, "")) || 8;
    return atob(values.bdata).length / size;
  }
  return null;
}

// A line through one point draws nothing: such traces (a one-step forecast) are drawn as markers.
function showSinglePoints(figure) {
  const single = (trace) => trace.mode === "lines" && valueCount(trace.x) === 1;
  if (!figure.data.some(single)) return figure;
  const data = figure.data.map((trace) => {
    if (!single(trace)) return trace;
    const dashed = Boolean(trace.line && trace.line.dash);
    return { ...trace, mode: "markers", marker: { color: trace.line && trace.line.color, size: dashed ? 16 : 9, symbol: dashed ? "line-ew-open" : "circle", line: { width: 2.5 } } };
  });
  return { data, layout: figure.layout };
}

// A long axis title (the lever chart's, with its baseline) goes on two lines in a narrow column.
function wrapAxisTitle(figure, width) {
  const title = figure.layout.xaxis && figure.layout.xaxis.title;
  const text = title && (typeof title === "string" ? title : title.text);
  if (!text || text.length * 7.5 < width * 0.55 || !text.includes(" (")) return figure;
  const layout = JSON.parse(JSON.stringify(figure.layout));
  const at = text.lastIndexOf(" (");
  layout.xaxis.title = { ...(typeof title === "string" ? {} : title), text: `${text.slice(0, at)}<br>${text.slice(at + 1)}` };
  layout.margin = { ...(layout.margin || {}), b: ((layout.margin && layout.margin.b) || 50) + 20 };
  layout.height = (layout.height || 450) + 20;
  return { data: figure.data, layout };
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
  showPhases(payload.phases, payload.readings.phases);
}

function showPhases(phases, reading) {
  // a phased agreement: how often each phase comes into force, when, and how it ends
  $("phases").hidden = !phases;
  if (!phases) return;
  $("reading-phases").textContent = reading;
  const shares = (entries) => Object.entries(entries || {}).filter(([, share]) => share > 0).map(([name, share]) => `${name} ${percent(share)}`).join(", ") || "-";
  const rows = [
    ["issues", (p) => p.issues.join(", ")],
    ["term", (p) => (p.term_days === null ? "open-ended" : `${p.term_days} days`)],
    ["talks opened", (p) => percent(p.p_talks)],
    ["signed in time, once opened", (p) => (p.p_signed_given_talks === null ? "-" : percent(p.p_signed_given_talks))],
    ["in force (95% interval)", (p) => `${percent(p.p_reached)} (${percent(p.p_reached_interval[0])} to ${percent(p.p_reached_interval[1])})`],
    ["signed on day (median)", (p) => (p.day_signed.median === null ? "-" : p.day_signed.median.toFixed(0))],
    ["days in force (median)", (p) => (!p.p_reached ? "-" : p.median_days_in_force === null ? "not reached" : p.median_days_in_force.toFixed(0))],
    ["ended by", (p) => shares(p.ended_by)],
  ];
  const table = element("table");
  table.append(element("tr", {}, element("th"), ...phases.map((p, k) => element("th", { text: `phase ${k + 1}: ${p.name}` }))));
  for (const [label, cell] of rows) table.append(element("tr", {}, element("td", { text: label }), ...phases.map((p) => element("td", { text: cell(p) }))));
  $("phases-table").replaceChildren(table);
}

function points(value) {
  const magnitude = Math.abs(value * 100);
  const text = magnitude === 0 || magnitude >= 1 ? magnitude.toFixed(0) : magnitude.toFixed(1);
  return (value > 0 && text !== "0" ? "+" : value < 0 && text !== "0" ? "\u2212" : "") + text;
}

function interval([low, high]) {
  return `95% interval ${percent(low)} to ${percent(high)}`;
}

function joinWords(items) {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// "phased to permanent (index 3.34 of 0..4)" -> ["phased to permanent", "3.34 on its 0 to 4 scale"].
function splitOutcome(text) {
  const match = /^(.*) \(index ([-\d.]+) of ([-\d]+)\.\.([-\d]+)\)$/.exec(text || "");
  return match ? [match[1], `${match[2]} on its ${match[3]} to ${match[4]} scale`] : [text, ""];
}

function showForecast(payload, model) {
  state.forecast = payload;
  const result = payload.forecast;
  $("forecast").hidden = false;
  $("forecast-stale").hidden = true;
  const name = FORECAST_MODELS[result.model] || FORECAST_MODELS[model] || result.model;
  const rounds = !result.rounds ? "" : `, ${result.converged ? "settled" : "stopped"} after ${result.rounds} round${result.rounds === 1 ? "" : "s"}`;
  const terms = result.issues.map((issue) => `${issue.name}: ${splitOutcome(issue.outcome)[0]}`);
  let leftOut = result.left_out && result.left_out.length ? ` Left out (${result.left_out_reason || "not ordered"}): ${joinWords(result.left_out)}.` : "";
  if (result.left_out_actors && result.left_out_actors.length) leftOut += ` Actors left out (${result.left_out_actors_reason}): ${joinWords(result.left_out_actors)}.`;
  $("reading-forecast").textContent = terms.length
    ? `Forecast by the ${name}${rounds}: ${terms.join("; ")}.${leftOut}`
    : `The ${name} has no ordered or numeric issue to forecast.${leftOut}`;
  const table = element("table");
  table.append(element("tr", {}, element("th", { text: "issue" }), element("th", { text: "forecast" }), element("th", { text: "where on the issue's scale" })));
  for (const issue of result.issues) {
    const [term, where] = splitOutcome(issue.outcome);
    const median = issue.median ? `; weighted median: ${splitOutcome(issue.median)[0]}` : "";
    table.append(element("tr", {}, element("td", { text: issue.name }), element("td", {}, element("strong", { text: term })), element("td", { class: "muted", text: (where || issue.scale || "") + median })));
  }
  $("forecast-table").replaceChildren(result.issues.length ? table : "");
  $("forecast-about").textContent =
    (result.rounds
      ? "Each panel shows one issue on its own scale: every actor's position round by round and the model's forecast (dashed), each actor weighed by its capability and by how much the issue matters to it."
      : "This model takes one step: each panel shows one issue on its own scale, with every actor's position and the forecast, the mean of the positions weighed by each actor's capability and by how much the issue matters to it.") +
    " Mediators and stakeholders count here, unlike in the simulation, where only the parties hold a veto.";
  if (payload.figures.positions) draw("figure-positions", showSinglePoints(stackPanels(payload.figures.positions)));
}

function showWhatif(payload) {
  state.whatif = payload;
  const result = payload.whatif;
  $("whatif").hidden = false;
  $("whatif-stale").hidden = true;
  // the measure the engine ranks by: P(a lasting deal) for a ceasefire, P(deal) where durability does not apply
  const lasting = result.ranked_by !== "p_deal";
  const outcome = lasting ? `P(a deal that holds ${result.hold_days} days)` : "P(deal)";
  const measure = (variant) => (lasting ? variant.delta_p_lasting_deal : variant.delta_p_deal);
  const base = result.baseline;
  const inForce = base.levers_in_force.length ? base.levers_in_force.join(", ") : "no levers";
  const baseline = lasting ? `${outcome} is ${percent(base.p_lasting_deal)}, P(deal) ${percent(base.p_deal)}` : `P(deal) is ${percent(base.p_deal)}`;
  // the reading is the server's, the same as the CLI's and the report's (truce.mediation.reading)
  const line = `Baseline (${inForce} in force): ${baseline}, from ${result.runs.toLocaleString()} runs. ${result.reading.sentence}`;
  $("reading-levers").textContent = line;
  $("levers-about").textContent =
    "Each bar is the change when one lever is added to the baseline or taken away from it, or when an actor spends its budget on its best " +
    "combination, with every variant replaying the same random draws; the whiskers are 95% intervals, and a bar whose interval crosses zero " +
    "has no clear effect. The levers are the scenario's stated options, not recommendations.";
  const table = element("table");
  const columns = ["variant", "by", "P(deal)", ...(lasting ? [outcome] : []), `change in ${outcome} (95% interval), points`];
  table.append(element("tr", {}, ...columns.map((text) => element("th", { text }))));
  const names = actorNames();
  for (const variant of [base, ...result.variants]) {
    const change = measure(variant);
    table.append(element("tr", {},
      element("td", { text: variant.name }),
      element("td", { text: variant.by ? names[variant.by] || variant.by : "" }),
      element("td", { text: percent(variant.p_deal) }),
      ...(lasting ? [element("td", { text: percent(variant.p_lasting_deal) })] : []),
      element("td", { text: change ? `${points(change.mean)} (${points(change.interval[0])} to ${points(change.interval[1])})` : "" }),
    ));
  }
  $("levers-table").replaceChildren(table);
  draw("figure-levers", wrapAxisTitle(payload.figures.levers, $("figure-levers").clientWidth));
}

const HORIZONS = { 30: "30 days", 90: "90 days", 365: "a year" };

function showDurability(payload, runs) {
  state.durability = payload;
  const result = payload.durability;
  $("durability").hidden = false;
  $("durability-stale").hidden = true;
  const days = Object.keys(result.holds).map(Number).sort((a, b) => a - b);
  if (!result.signed_runs) {
    $("reading-durability").textContent = `None of the ${runs.toLocaleString()} simulated negotiations signed a ceasefire, so there is none to follow. Try more runs, or levers that make a deal likelier.`;
    $("durability-cards").replaceChildren();
    $("durability-about").textContent = "";
    if (window.Plotly) window.Plotly.purge($("figure-survival"));
    $("figure-survival").replaceChildren();
    return;
  }
  const parts = days.map((day, i) => `${percent(result.holds[day].p_holds)}${i ? "" : " still hold"} after ${HORIZONS[day] || `${day} days`}`);
  const intervals = days.map((day) => result.holds[day].interval.map(percent).join("\u2013"));
  const lastingDay = days.includes(90) ? 90 : days[days.length - 1];
  const lasting = result.holds[lastingDay];
  const median = result.median_days_to_breakdown;
  const half = median === null || median === undefined ? "" : ` Half of them have broken down by day ${Math.round(median).toLocaleString()}.`;
  $("reading-durability").textContent =
    `Of the ${result.signed_runs.toLocaleString()} simulated negotiations that signed a ceasefire (of ${runs.toLocaleString()} runs), ` +
    `${joinWords(parts)} (95% interval${days.length > 1 ? "s" : ""} ${joinWords(intervals)}).${half}` +
    (lasting ? ` Counting the runs without a deal, ${percent(lasting.p_deal_and_holds)} of all runs end in a ceasefire that holds ${lastingDay} days.` : "");
  $("durability-about").textContent =
    "The curve is the share of signed ceasefires still holding each day after signature. How long one lasts depends on its terms " +
    "(how definitive, with what guarantees and monitoring) and on how much each party gains from it over no deal.";
  $("durability-cards").replaceChildren(
    ...days.map((day) => {
      const hold = result.holds[day];
      return card(`Holds ${day} days`, percent(hold.p_holds), `of signed ceasefires; ${interval(hold.interval)}`);
    }),
  );
  if (payload.figures.survival) draw("figure-survival", payload.figures.survival);
}

// -------------------------------------------------------------------- the calls
async function analyze() {
  const serial = ++state.serial.analyze;
  status("Analysing the agreement space…");
  try {
    const payload = await api("POST", "/api/analyze", state.scenario);
    if (serial !== state.serial.analyze) return;
    showProblems([]);
    showAnalysis(payload);
    status(`Analysed: ${payload.size.parties} parties, ${payload.size.issues} issues, ${payload.size.outcomes.toLocaleString()} possible packages.`);
  } catch (error) {
    if (serial === state.serial.analyze) reportError(error);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
  try {
    let job = await api("POST", spec.path, options);
    while (job.status === "queued" || job.status === "running") {
      if (serial !== state.serial[kind]) return;
      progress.value = job.progress.total ? job.progress.done / job.progress.total : 0;
      text.textContent = `${job.status}: ${job.progress.done.toLocaleString()} of ${job.progress.total.toLocaleString()} ${spec.unit}`;
      await sleep(250);
      job = await api("GET", `/api/jobs/${job.id}`);
    }
    if (serial !== state.serial[kind]) return;
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
    if (serial === state.serial[kind]) {
      state[`${kind}Running`] = false;
      button.disabled = false;
      if (kind === "whatif") leverNote();
    }
  }
}

async function simulate() {
  state.simulating = true;
  await runJob("simulate", runOptions(), showSimulation);
  state.simulating = false;
}

async function whatif() {
  const hold = Math.round(Number($("hold-days").value)) || 90;
  await runJob("whatif", { ...runOptions(), hold_days: hold }, showWhatif);
}

async function durability() {
  const options = runOptions();
  await runJob("durability", options, (result) => showDurability(result, options.runs));
}

// The forecast answers at once (no job): a short status under its button.
async function forecast() {
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
function edited() {
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
}

start();
