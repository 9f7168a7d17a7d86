"""The report's style sheet: system fonts, no web fonts, readable in print."""

STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #dde2ea; --soft: #f4f6f9; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: var(--soft); border-bottom: 1px solid var(--rule); }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.top .wrap { padding-top: 28px; padding-bottom: 20px; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 22px; margin: 0 0 10px; padding-top: 8px; }
h3 { font-size: 17px; margin: 22px 0 8px; }
.meta { color: var(--muted); font-size: 14px; margin: 0; }
.description { margin: 12px 0 0; max-width: 80ch; }
.illustrative { display: inline-block; background: #fff4d6; border: 1px solid #e6cf8a; border-radius: 4px; padding: 1px 8px; font-size: 13px; margin-top: 10px; }
nav.toc { border-bottom: 1px solid var(--rule); font-size: 14px; position: sticky; top: 0; background: #fff; z-index: 5; }
nav.toc .wrap { padding-top: 8px; padding-bottom: 8px; display: flex; flex-wrap: wrap; gap: 2px 16px; }
nav.toc a { color: var(--accent); text-decoration: none; white-space: nowrap; }
section { padding: 26px 0 18px; border-bottom: 1px solid var(--rule); scroll-margin-top: 100px; }
@media (max-width: 700px) {
  /* one line that scrolls sideways inside the bar, so the sticky bar stays short and the page no wider than the screen */
  nav.toc .wrap { flex-wrap: nowrap; overflow-x: auto; padding-left: 12px; padding-right: 12px; }
  .wrap { padding: 0 12px; }
  section { scroll-margin-top: 44px; }
}
section:last-of-type { border-bottom: 0; }
.reading { max-width: 85ch; }
.reading p { margin: 0 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; margin: 14px 0 8px; }
.card { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px; padding: 12px 14px; }
.card-label { color: var(--muted); font-size: 13px; }
.card-value { font-size: 26px; font-weight: 650; line-height: 1.3; }
.card-sub { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 6px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--rule); }
th { background: var(--soft); font-weight: 600; }
table.compact { width: auto; }
table.kv td:first-child { color: var(--muted); white-space: nowrap; }
table.notes td:last-child { min-width: 28ch; }
table.numbers td:nth-last-child(3) { min-width: 17ch; }
table.numbers td:nth-last-child(2) { min-width: 12ch; }
table.grouped td[rowspan], table.numbers td[rowspan] { background: #fafbfc; min-width: 14ch; }
table.stances td { min-width: 9ch; }
.note { color: var(--muted); font-size: 13px; }
.note.missing { font-style: italic; }
.salience { color: var(--muted); }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-size: 13px; background: var(--soft); padding: 1px 4px; border-radius: 3px; word-break: break-all; }
details summary { cursor: pointer; font-weight: 600; margin: 14px 0 6px; }
.figure { margin: 10px 0 14px; border: 1px solid var(--rule); border-radius: 6px; padding: 6px; max-width: 100%; overflow: hidden; }
ol.sources li { margin-bottom: 8px; }
main a, ol.sources li { overflow-wrap: anywhere; }  /* long source addresses and file names break instead of widening the page on a phone */
a { color: var(--accent); }
footer { color: var(--muted); font-size: 13px; padding: 18px 0 40px; }
@media print { nav.toc { position: static; } .figure { break-inside: avoid; } section { break-inside: auto; } }
"""
