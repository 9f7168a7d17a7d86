// Draft a scenario from a pasted news text (POST /api/draft): an ES module beside the page's entry
// point (app.js), sharing its API helper and token (core.js). Everything the server sends back is
// shown as text (textContent), never as HTML.
import { $ as byId, ApiError, api } from "./core.js";

let lastDraft = null;

function cell(row, text, tag = "td") {
  const node = document.createElement(tag);
  node.textContent = text;
  row.append(node);
}

function showActors(reading) {
  const table = byId("draft-actors");
  table.replaceChildren();
  const head = document.createElement("tr");
  ["actor", "role", "from the sentence"].forEach((title) => cell(head, title, "th"));
  table.append(head);
  for (const actor of reading.actors) {
    const row = document.createElement("tr");
    cell(row, actor.name);
    cell(row, actor.role);
    cell(row, actor.evidence || "(no cue: check it)");
    table.append(row);
  }
}

function showStances(reading) {
  const list = byId("draft-stances");
  list.replaceChildren();
  const names = Object.fromEntries(reading.actors.map((actor) => [actor.id, actor.name]));
  for (const stance of reading.stances) {
    const item = document.createElement("li");
    item.textContent = `${names[stance.actor] || stance.actor}: ${stance.kind} on ${stance.issue} (${stance.position}), from "${stance.sentence}"`;
    list.append(item);
  }
  if (!reading.stances.length) {
    const item = document.createElement("li");
    item.textContent = "No demand or refusal was found: the positions are all placeholders.";
    list.append(item);
  }
}

async function draft() {
  const button = byId("draft-run");
  const status = byId("draft-status");
  button.disabled = true;
  status.textContent = "Drafting…";
  try {
    const answer = await api("POST", "/api/draft", { text: byId("draft-text").value, source_name: "the pasted text" });
    lastDraft = answer;
    showActors(answer.reading);
    showStances(answer.reading);
    const parties = answer.reading.actors.filter((actor) => actor.role === "party").length;
    byId("draft-placeholders").textContent =
      `${answer.reading.actors.length} actors (${parties} parties), ${answer.scenario.issues.length} issues; ` +
      `${answer.placeholders.length} placeholders to fill in before the draft can be used (the numbers only you can supply). ` +
      "Download the draft, fill them in, then upload it above.";
    byId("draft-yaml").textContent = answer.yaml;
    byId("draft-result").hidden = false;
    byId("draft-download").hidden = false;
    status.textContent = "Drafted: check every actor, role and position against the text.";
  } catch (error) {
    byId("draft-result").hidden = true;
    byId("draft-download").hidden = true;
    status.textContent = error instanceof ApiError ? "Cannot draft: " + error.message : "Cannot reach the server: " + error.message;
  } finally {
    button.disabled = false;
  }
}

function downloadDraft() {
  if (!lastDraft) return;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([lastDraft.yaml], { type: "application/yaml" }));
  link.download = "draft.yaml";
  document.body.append(link);
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
}

byId("draft-run").addEventListener("click", draft);
byId("draft-download").addEventListener("click", downloadDraft);
