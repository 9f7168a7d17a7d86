// The mediator's advice: what blocks a deal or where its joint gains are (/api/explain), and the
// text on the table, built issue by issue or pasted, with the packages that improve on it for
// every party (/api/improve), each of which can be put on the table in its turn.
import { $, api, element, reportError, state } from "./core.js";

const advice = { serial: 0, options: null, text: null };

// "issue: option" per line, '#' starts a comment (the draft file's simple form).
export function parseText(source) {
  const text = {};
  const problems = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const at = line.indexOf(":");
    if (at <= 0) {
      problems.push({ path: `line ${i + 1}`, message: `found '${line.slice(0, 60)}'; expected 'issue: option'` });
      return;
    }
    const issue = line.slice(0, at).trim();
    const option = line.slice(at + 1).trim().replace(/^(["'])(.*)\1$/, "$2");
    if (issue in text) problems.push({ path: `line ${i + 1}`, message: `issue '${issue}' is given twice; expected each issue once` });
    else text[issue] = option;
  });
  return { text, problems };
}

function gainCells(gains, parties) {
  return Object.keys(parties).map((id) => element("td", { class: "num", text: `${gains[id] >= 0 ? "+" : ""}${gains[id].toFixed(3)}` }));
}

function changesText(changes) {
  return changes.map((c) => `${c.issue}: ${c.from} \u2192 ${c.to}`).join("; ");
}

export function showExplanation(payload) {
  const { explanation, parties } = payload;
  $("reading-explain").textContent = payload.reading;
  const table = element("table");
  $("red-lines-table").replaceChildren(explanation.red_lines ? redLineTable(explanation.red_lines, parties) : "");
  if (explanation.blocked_by) {
    table.append(element("tr", {}, ...["party", "no-deal value", "must fall below", "by more than"].map((text) => element("th", { text }))));
    for (const line of explanation.blocked_by.per_party) {
      const alone = line.must_fall_to === null;
      table.append(element("tr", {},
        element("td", { text: parties[line.party] || line.party }),
        element("td", { class: "num", text: line.no_deal.toFixed(3) }),
        element("td", { class: "num", text: alone ? "cannot alone" : line.must_fall_to.toFixed(3) }),
        element("td", { class: "num", text: alone ? "-" : line.drop.toFixed(3) }),
      ));
    }
  } else if (explanation.joint_gains && explanation.joint_gains.trades.length) {
    table.append(element("tr", {}, element("th", { text: "trade from the compromise" }), ...Object.values(parties).map((name) => element("th", { text: `${name} gain` }))));
    for (const trade of explanation.joint_gains.trades) table.append(element("tr", {}, element("td", { text: changesText(trade.changes) }), ...gainCells(trade.gains, parties)));
  }
  $("explain-table").replaceChildren(table.childElementCount ? table : "");
  showDivision(payload.division);
  advice.options = payload.options;
  if (!advice.text) {
    // a first text to start from: the issue-by-issue compromise, or the package of the smallest joint drop
    const start = explanation.joint_gains ? explanation.joint_gains.compromise
      : explanation.blocked_by ? explanation.blocked_by.joint.package
      : explanation.red_lines.joint.package || Object.fromEntries(Object.entries(payload.options).map(([issue, labels]) => [issue, labels[0]]));
    setText(start);
  } else {
    renderText();
  }
}

// Red lines on single issues that block a zone: the smallest change of each party's alone, then of all jointly.
function redLineTable(redLines, parties) {
  const table = element("table");
  table.append(element("tr", {}, ...["whose red lines move", "moves", "on the package"].map((text) => element("th", { text }))));
  const rows = [...redLines.per_party.map((c) => [`${parties[c.party] || c.party} alone`, c]), ["every party, jointly", redLines.joint]];
  for (const [label, change] of rows) {
    const moves = change.opens_a_zone
      ? change.moves.map((m) => `${parties[m.party] || m.party} accepts ${m.issue}: ${m.accept} (${m.options_admitted} option${m.options_admitted > 1 ? "s" : ""} admitted)`).join("; ")
      : change.party === null ? "lifting every red line opens no zone" : "no change of its red lines alone opens a zone";
    const terms = change.package ? Object.entries(change.package).map(([issue, option]) => `${issue}: ${option}`).join("; ") : "-";
    table.append(element("tr", {}, element("td", { text: label }), element("td", { text: moves }), element("td", { text: terms })));
  }
  return table;
}

// Two parties: Adjusted Winner with each party's stakes as its 100 points, and the package it gives.
function showDivision(division) {
  $("division-block").hidden = !division;
  if (!division) return;
  $("reading-division").textContent = division.reading;
  const names = division.parties;
  const table = element("table");
  table.append(element("tr", {}, element("th", { text: "issue" }), ...names.map((name) => element("th", { text: `${name} points` })), ...names.map((name) => element("th", { text: `${name} share` })), element("th", { text: "term" })));
  const terms = Object.values(division.package);
  division.issues.forEach((row, j) => {
    table.append(element("tr", {},
      element("td", { text: row.issue }),
      ...names.map((name) => element("td", { class: "num", text: row.points[name].toFixed(1) })),
      ...names.map((name) => element("td", { class: "num", text: `${Math.round(row.shares[name] * 100)}%` })),
      element("td", { text: terms[j] }),
    ));
  });
  $("division-table").replaceChildren(table);
}

function setText(text) {
  advice.text = { ...text };
  renderText();
}

function renderText() {
  const rows = Object.entries(advice.options).map(([issue, labels]) => {
    const select = element("select", { "aria-label": `the text: ${issue}`, dataset: { issue } });
    for (const label of labels) select.append(element("option", { value: label, text: label, selected: advice.text[issue] === label }));
    select.addEventListener("change", () => {
      advice.text[issue] = select.value;
      $("improve-stale").hidden = !$("improve-table").childElementCount;
    });
    return element("tr", {}, element("td", { text: issue }), element("td", {}, select));
  });
  $("text-form").replaceChildren(element("table", {}, ...rows));
  $("text-paste").value = Object.entries(advice.text).map(([issue, option]) => `${issue}: ${option}`).join("\n");
}

export async function explainScenario() {
  const serial = ++advice.serial;
  try {
    const payload = await api("POST", "/api/explain", { scenario: state.scenario });
    if (serial === advice.serial) showExplanation(payload);
  } catch (error) {
    if (serial === advice.serial) reportError(error);
  }
}

async function improveText() {
  const serial = advice.serial;
  const button = $("run-improve");
  button.disabled = true;
  $("improve-text").textContent = "searching…";
  try {
    const body = { scenario: state.scenario, text: advice.text, by: $("improve-by").value, changes: Number($("improve-changes").value) || 2 };
    const payload = await api("POST", "/api/improve", body);
    if (serial !== advice.serial) return;
    const result = payload.improvements;
    setText(result.draft);
    showImprovements(payload);
    $("improve-text").textContent = "";
  } catch (error) {
    $("improve-text").textContent = "failed: see the problems above";
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

function showImprovements(payload) {
  const result = payload.improvements;
  const parties = payload.parties;
  $("reading-improve").textContent = payload.reading;
  $("improve-stale").hidden = true;
  const blocks = [];
  const kinds = [
    ["small_changes", "small_changes_found", `Smallest changes (1 to ${result.max_changes} issues), fewest first`],
    ["efficient_improvements", "efficient_improvements_found", "Efficient improvements (on the Pareto frontier), best first"],
  ];
  for (const [key, found, title] of kinds) {
    const items = result[key];
    if (!items.length) continue;
    const table = element("table");
    table.append(element("tr", {}, element("th", { text: "changes" }), ...Object.values(parties).map((name) => element("th", { text: `${name} +` })), element("th", { text: "efficient" }), element("th")));
    for (const item of items) {
      const use = element("button", { type: "button", class: "small", text: "put on the table" });
      use.addEventListener("click", () => {
        const text = { ...advice.text };
        for (const change of item.changes) text[change.issue] = change.to;
        setText(text);
        $("improve-stale").hidden = false;
      });
      // an efficient improvement is shown with the fewest changes from the text; others may tie with it
      const ties = item.ties ? ` (${item.ties.toLocaleString()} other package${item.ties > 1 ? "s" : ""} with as few changes)` : "";
      table.append(element("tr", {}, element("td", { text: changesText(item.changes) + ties }), ...gainCells(item.gains, parties), element("td", { text: item.efficient ? "yes" : "" }), element("td", {}, use)));
    }
    blocks.push(element("h3", { text: `${title}: ${items.length} of ${result[found].toLocaleString()} shown` }), element("div", { class: "table-scroll" }, table));
  }
  $("improve-table").replaceChildren(...blocks);
}

export function resetAdvice() {
  advice.serial += 1;
  advice.text = null;
  advice.options = null;
  for (const id of ["reading-explain", "reading-improve", "improve-text"]) $(id).textContent = "";
  for (const id of ["explain-table", "red-lines-table", "improve-table", "text-form", "division-table"]) $(id).replaceChildren();
  $("division-block").hidden = true;
  $("improve-stale").hidden = true;
}

export function startAdvice() {
  $("run-improve").addEventListener("click", improveText);
  $("use-paste").addEventListener("click", () => {
    const { text, problems } = parseText($("text-paste").value);
    if (problems.length) {
      reportError({ message: problems.map((p) => `${p.path}: ${p.message}`).join("; ") });
      return;
    }
    // pasted issues by id or name, any case; the server reads the options the same way and answers with their labels
    const ids = {};
    for (const issue of state.scenario.issues) for (const key of [issue.id, issue.name]) if (key) ids[key.trim().toLowerCase()] = issue.id;
    const merged = { ...advice.text };
    for (const [issue, option] of Object.entries(text)) merged[ids[issue.toLowerCase()] || issue] = option;
    advice.text = merged;
    improveText();
  });
}
