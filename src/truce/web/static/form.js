// The scenario form: the parties' numbers, every actor's stances and the levers in force.
// An edit sets the scenario's field and announces itself with a 'truce-edited' event on document.
import { $, actorNames, element, KINDS, PARTY_FIELDS, showProblems, state } from "./core.js";

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
    announceEdit();
  });
  return input;
}

function optionSelect(parts, options, value, label) {
  const select = element("select", { "aria-label": label, dataset: { path: pathText(parts) } });
  for (const option of options) select.append(element("option", { value: option, text: option, selected: option === value }));
  select.addEventListener("change", () => {
    setAt(parts, select.value);
    announceEdit();
  });
  return select;
}

// A values table (option -> value in [0, 1]): one number per option; the position follows the option of
// highest value, as the file requires (a position worth less than another option is refused).
function valuesInputs(base, issue, stance, label) {
  const box = element("div", { class: "values-table" });
  for (const option of issue.options) {
    const parts = [...base, "values", option];
    const input = element("input", { type: "number", min: "0", max: "1", step: "0.05", value: String(stance.values[option] ?? 0), "aria-label": `${label}: value of ${option}`, dataset: { path: pathText(parts) } });
    input.addEventListener("change", () => {
      const value = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1) {
        input.classList.add("invalid");
        showProblems([{ path: pathText(parts), message: "expected a value in [0, 1]" }], "Not a value:");
        return;
      }
      input.classList.remove("invalid");
      setAt(parts, value);
      const now = base.reduce((target, part) => target[part], state.scenario);  // the stance as it is now
      const worth = (name) => now.values[name] ?? 0;
      const best = Math.max(...issue.options.map(worth));
      if (worth(now.position) < best) setAt([...base, "position"], issue.options.find((name) => worth(name) === best));
      announceEdit();
    });
    box.append(element("label", { class: "value-cell" }, element("span", { text: option }), input));
  }
  return box;
}

export function renderForms() {
  const scenario = state.scenario;
  const issues = scenario.issues;

  // Up to three parties, one column per party and one row per quantity (distributions need the width);
  // from four on, one row per party, so that the table keeps the column's width however many parties there are.
  const partyIndexes = scenario.actors.map((actor, a) => [actor, a]).filter(([actor]) => (actor.role || "party") === "party");
  const cell = (actor, a, field, label) =>
    element("td", {}, uncertainInput(["actors", a, field], field in actor ? actor[field] : field === "trust" ? 1 : 0, `${actor.name}: ${label}`));
  const byRow = partyIndexes.length > 3;
  const parties = element("table", { class: byRow ? "parties by-party" : "parties" });
  if (byRow) {
    parties.append(element("tr", {}, element("th", { text: "party" }), ...PARTY_FIELDS.map(([, label]) => element("th", { text: label }))));
    for (const [actor, a] of partyIndexes) parties.append(element("tr", {}, element("td", { text: actor.name }), ...PARTY_FIELDS.map(([field, label]) => cell(actor, a, field, label))));
  } else {
    parties.append(element("tr", {}, element("th"), ...partyIndexes.map(([actor]) => element("th", { text: actor.name }))));
    for (const [field, label] of PARTY_FIELDS) parties.append(element("tr", {}, element("td", { text: label }), ...partyIndexes.map(([actor, a]) => cell(actor, a, field, label))));
  }
  $("parties-form").replaceChildren(element("div", { class: "table-scroll" }, parties));

  // a red line is shown as written (edit the scenario file to change it): never a, b; at least x; at most y
  const redLineWords = (line) => [
    ...(line.never && line.never.length ? [`never ${line.never.join(", ")}`] : []),
    ...(line.at_least !== undefined && line.at_least !== null ? [`at least ${line.at_least}`] : []),
    ...(line.at_most !== undefined && line.at_most !== null ? [`at most ${line.at_most}`] : []),
  ].join("; ");
  const blocks = [];
  scenario.actors.forEach((actor, a) => {
    const stances = actor.stances || {};
    const ids = issues.map((issue) => issue.id).filter((id) => id in stances);
    if (!ids.length) return;
    const role = actor.role || "party";
    const table = element("table", { class: "stances" });
    table.append(element("tr", {}, element("th", { text: "issue" }), element("th", { text: "position" }), element("th", { text: "salience" }), element("th", { text: "red line" })));
    for (const issue of issues) {
      const stance = stances[issue.id];
      if (!stance) continue;
      const base = ["actors", a, "stances", issue.id];
      const label = `${actor.name}: ${issue.name}`;
      const position = issue.kind === "numeric"
        ? uncertainInput([...base, "position"], stance.position, `${label}: position`)
        : stance.values
          ? valuesInputs(base, issue, stance, label)
          : optionSelect([...base, "position"], issue.options, stance.position, `${label}: position`);
      const salience = uncertainInput([...base, "salience"], stance.salience, `${actor.name}: ${issue.name}: salience`);
      const redLine = stance.red_line ? element("td", { class: "hint", text: `red line: ${redLineWords(stance.red_line)}` }) : element("td");
      table.append(element("tr", {}, element("td", { text: issue.name }), element("td", {}, position), element("td", {}, salience), redLine));
    }
    const note = Object.values(stances).some((s) => s.values && !Array.isArray(s.values))
      ? element("p", { class: "hint", text: "Where this actor gives each option its own value (0 to 1, a values table), the position is the option of highest value: change the values and the position follows." })
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
        announceEdit();
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

// Under "Compare levers": which levers the baseline has, or why the comparison is not possible.
export function leverNote() {
  const levers = (state.scenario && state.scenario.levers) || [];
  const on = levers.filter((lever) => lever.active !== false).map((lever) => lever.id);
  $("run-whatif").disabled = !levers.length || state.whatifRunning === true;
  $("whatif-note").textContent = !levers.length
    ? "This scenario has no levers to compare."
    : `In force now: ${on.length ? on.join(", ") : "none"}; ${levers.length - on.length} of ${levers.length} levers off. Switch them under 2. Edit.`;
}

function announceEdit() {
  document.dispatchEvent(new Event("truce-edited"));
}
