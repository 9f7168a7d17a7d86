// Each result section of the page filled from the API's answer: a reading in words, cards,
// tables and the figures.
import { $, actorNames, card, element, FORECAST_MODELS, interval, joinWords, percent, points, state } from "./core.js";
import { draw, showSinglePoints, stackPanels, wrapAxisTitle } from "./figures.js";

export function showAnalysis(payload) {
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

export function showSimulation(payload) {
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

// "phased to permanent (index 3.34 of 0..4)" -> ["phased to permanent", "3.34 on its 0 to 4 scale"].
function splitOutcome(text) {
  const match = /^(.*) \(index ([-\d.]+) of ([-\d]+)\.\.([-\d]+)\)$/.exec(text || "");
  return match ? [match[1], `${match[2]} on its ${match[3]} to ${match[4]} scale`] : [text, ""];
}

export function showForecast(payload, model) {
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

export function showWhatif(payload) {
  state.whatif = payload;
  const result = payload.whatif;
  $("whatif").hidden = false;
  $("whatif-stale").hidden = true;
  // the measure the engine ranks by: P(a lasting deal) for a ceasefire, P(deal) where durability does not apply
  const lasting = result.ranked_by !== "p_deal";
  const outcome = lasting ? `P(a deal that holds ${result.hold_days} days)` : "P(deal)";
  const measure = (variant) => (lasting ? variant.delta_p_lasting_deal : variant.delta_p_deal);
  const base = result.baseline;
  const leverNames = result.lever_names || {};
  const inForce = base.levers_in_force.length ? base.levers_in_force.map((id) => leverNames[id] || id).join(", ") : "no levers";
  const baseline = lasting ? `${outcome} is ${percent(base.p_lasting_deal)}, P(deal) ${percent(base.p_deal)}` : `P(deal) is ${percent(base.p_deal)}`;
  // the reading is the server's, the same as the CLI's and the report's (truce.mediation.reading)
  const line = `Baseline (${inForce} in force): ${baseline}, from ${result.runs.toLocaleString()} runs. ${result.reading.sentence}`;
  $("reading-levers").textContent = line;
  $("levers-about").textContent =
    "Each bar is the change when one lever is added to the baseline or taken away from it, or when an actor spends its budget on its best " +
    "combination, with every variant replaying the same random draws; the whiskers are 95% intervals, and a bar whose interval crosses zero " +
    "has no clear effect. The levers are the scenario's stated options, not recommendations.";
  const table = element("table");
  const columns = ["variant", "P(deal)", ...(lasting ? [outcome] : []), `change in ${outcome} (95% interval), pp`];
  table.append(element("tr", {}, ...columns.map((text) => element("th", { text }))));
  for (const variant of [base, ...result.variants]) {
    const change = measure(variant);
    table.append(element("tr", {},
      element("td", { text: variant.words || variant.name }),
      element("td", { text: percent(variant.p_deal) }),
      ...(lasting ? [element("td", { text: percent(variant.p_lasting_deal) })] : []),
      element("td", { text: change ? `${points(change.mean)} (${points(change.interval[0])} to ${points(change.interval[1])})` : "" }),
    ));
  }
  $("levers-table").replaceChildren(table);
  draw("figure-levers", wrapAxisTitle(payload.figures.levers, $("figure-levers").clientWidth));
}

const HORIZONS = { 30: "30 days", 90: "90 days", 365: "a year" };

export function showDurability(payload, runs) {
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
