// The page's shared state, its calls to the JSON API (with the access token) and small helpers
// for building elements and wording numbers.

export const state = {
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

export const PLOT_CONFIG = { displaylogo: false, responsive: true };

export const KINDS = { triangular: 3, uniform: 2, normal: 2, beta: 2 };

export const PARTY_FIELDS = [
  ["reservation", "no-deal value"],
  ["cost_of_delay", "cost of delay / round"],
  ["trust", "trust"],
];

export const FORECAST_MODELS = {
  smp: "Spatial Model of Politics (KTAB)",
  expected_utility: "expected-utility model",
  compromise: "weighted-compromise model",
};

export const $ = (id) => document.getElementById(id);

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function readToken() {
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

export class ApiError extends Error {
  constructor(status, problems) {
    super(problems.map((p) => (p.path ? p.path + ": " : "") + p.message).join("; "));
    this.status = status;
    this.problems = problems;
  }
}

export async function api(method, path, body, { text = false } = {}) {
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

export function loadPlotly() {
  // A served file, not inline text: the page's Content-Security-Policy allows scripts from this server only.
  if (window.Plotly) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = element("script", { src: "/static/plotly.min.js" });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error("could not load the plotting library from this server")));
    document.head.append(script);
  });
}

export function status(text) {
  $("status").textContent = text;
}

export function showProblems(problems, heading = "The scenario has problems:") {
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

export function reportError(error) {
  if (error instanceof ApiError) showProblems(error.problems, error.status === 422 ? "The scenario has problems:" : `The server answered ${error.status}:`);
  else showProblems([{ path: "", message: String(error.message || error) }], "Something went wrong:");
  status("");
}

export function actorNames() {
  return Object.fromEntries(((state.scenario && state.scenario.actors) || []).map((actor) => [actor.id, actor.name]));
}

export function card(label, value, sub) {
  return element("div", { class: "card" }, element("div", { class: "card-label", text: label }), element("div", { class: "card-value", text: value }), element("div", { class: "card-sub", text: sub || "" }));
}

export function percent(value) {
  return value === 0 || value >= 0.1 ? `${Math.round(value * 100)}%` : `${(value * 100).toFixed(1)}%`;
}

export function points(value) {
  const magnitude = Math.abs(value * 100);
  const text = magnitude === 0 || magnitude >= 1 ? magnitude.toFixed(0) : magnitude.toFixed(1);
  return (value > 0 && text !== "0" ? "+" : value < 0 && text !== "0" ? "\u2212" : "") + text;
}

export function interval([low, high]) {
  return `95% interval ${percent(low)} to ${percent(high)}`;
}

export function joinWords(items) {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
