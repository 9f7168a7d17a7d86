// Plotly figures from the API, fitted to the page's narrower result column.
import { $, PLOT_CONFIG } from "./core.js";

export function draw(id, figure) {
  return window.Plotly.react($(id), figure.data, figure.layout, PLOT_CONFIG);
}

// The page's result column is narrower than the report: a figure with its panels in two columns
// (the forecast's one panel per issue) is drawn with the same panels one under the other, so the
// option names on each panel's axis do not run into its neighbour.
export function stackPanels(figure, { panel = 170, gap = 85 } = {}) {
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
  if (layout.legend) layout.legend.y = layout.legend.yanchor === "bottom" ? 1 + 30 / height : -75 / height;  // a top legend stays on top
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
export function showSinglePoints(figure) {
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
export function wrapAxisTitle(figure, width) {
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
