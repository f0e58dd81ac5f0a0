// The HTML reports' stylesheet and script, inline in every page (no network, no CDN). The script
// reads the JSON in <script id="pasidcheck-data">, adds the table filters and draws timelines:
// steps left to right; lanes top to bottom (op, kernel page table, frames, PASID entries, PASID
// cache, IOTLB, PSC, device TLB, grants, user mm, page requests, device accesses); each fact a bar
// from its fill to its removal, hatched from the step it became stale; the violating step and
// the path the device went through outlined.
#include "cli/html_assets.h"

namespace pasidcheck::cli {

const char* const kReportCss = R"CSS(
:root { --violated:#f6c5c0; --proved:#bfe5c2; --bounded:#e8f3d6; --refused:#e4e4e4;
  --unknown:#fff; --ink:#1b1b1b; --stale:#b3261e; --via:#0b57d0; }
body { font: 14px/1.4 system-ui, sans-serif; color: var(--ink); margin: 1.2em; }
h1 { font-size: 1.35em; margin: 0 0 .3em; } h2 { font-size: 1.15em; margin: 1.2em 0 .4em; }
.meta { color: #444; } code, pre, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
table.verdicts { border-collapse: collapse; margin: .6em 0; }
table.verdicts th, table.verdicts td { border: 1px solid #999; padding: 2px 5px; white-space: nowrap; }
table.verdicts thead th { position: sticky; top: 0; background: #f4f4f4; }
td.c { text-align: center; font-family: ui-monospace, monospace; min-width: 3.2em; }
.violated { background: var(--violated); font-weight: 600; }
.proved { background: var(--proved); } .bounded { background: var(--bounded); }
.refused { background: var(--refused); color: #555; } .unknown { background: var(--unknown); }
td.violated a { color: inherit; display: block; }
td.violated a:focus, th.step:focus, td.violated a:hover { outline: 3px solid var(--via); }
tr.open td.violated a.active { outline: 3px solid var(--via); }
.legend span { display: inline-block; border: 1px solid #999; padding: 0 .4em; margin-right: .6em; }
#filters { margin: .5em 0; } #filters label { margin-right: 1em; }
.hidden { display: none; }
pre.summary { background: #fafafa; border: 1px solid #ddd; padding: .6em; white-space: pre-wrap; }
section.timeline { border: 2px solid #888; padding: .6em; margin-top: 1em; }
.sentence { min-height: 2.8em; background: #f4f7fb; border-left: 4px solid var(--via); padding: .3em .6em; }
.scroll { overflow-x: auto; }
table.tl { border-collapse: separate; border-spacing: 0 2px; table-layout: fixed; }
table.tl col.lanecol { width: 8.5em; } table.tl col.stepcol { width: 10.5em; }
table.tl th.lane { text-align: right; padding-right: .5em; vertical-align: top; color: #333;
  font-size: 12px; white-space: normal; }
table.tl th.step { font-weight: normal; font-size: 12px; border-bottom: 1px solid #999;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: help; }
table.tl td { font: 11px ui-monospace, monospace; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; padding: 1px 4px; }
table.tl col.violating { background: #fde9e7; }
table.tl th.step.violating { background: var(--stale); color: #fff; font-weight: 600; }
td.bar { background: #d9e3f2; border: 1px solid #7a93b8; border-radius: 3px; }
td.bar.stale { background: repeating-linear-gradient(45deg, #f6c5c0 0 6px, #fbe3e0 6px 12px);
  border-color: var(--stale); color: #5a0f0a; }
td.bar.via, td.access.via { outline: 3px solid var(--via); outline-offset: -2px; font-weight: 600; }
td.opcell { background: #eee; } td.access { background: #fff3c4; border: 1px solid #c9a400; }
td.access.fault { background: #eee; border-color: #999; }
td.viol { color: var(--stale); font-weight: 600; }
tr.lanefirst th.lane, tr.lanefirst td { border-top: 1px solid #ccc; }
.mark-stale { color: var(--stale); font-weight: 600; } .mark-via { color: var(--via); font-weight: 600; }
)CSS";

const char* const kReportJs = R"JS(
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('pasidcheck-data').textContent);
  const LANES = data.lanes;
  const LANE_NAMES = {op: 'op', kpt: 'CPU kernel page table', frames: 'frames',
    pasid: 'PASID table', 'pasid-cache': 'PASID cache', iotlb: 'IOTLB', psc: 'PSC',
    devtlb: 'device TLB', grants: 'grants', mm: 'user mm', prq: 'page requests',
    access: 'device accesses'};
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function stepName(tl, s) { return s < 0 ? 'boot' : s + ': ' + tl.steps[s].op.split(' ')[0]; }

  // One bar split into cells where its label changes or it becomes stale.
  function barCells(tl, bar, n) {
    const cuts = bar.segments.map(function (g) { return g.from; });
    if (bar.stale !== null && cuts.indexOf(bar.stale) < 0) cuts.push(bar.stale);
    cuts.sort(function (a, b) { return a - b; });
    const cells = [];
    for (let i = 0; i < cuts.length; i++) {
      const from = cuts[i], to = i + 1 < cuts.length ? cuts[i + 1] : bar.to;
      if (to <= from) continue;
      let label = '';
      for (const g of bar.segments) if (g.from <= from) label = g.label;
      const stale = bar.stale !== null && from >= bar.stale;
      const td = el('td', {colspan: to - from,
        class: 'bar' + (stale ? ' stale' : '') + (bar.via ? ' via' : ''),
        title: label + (stale ? '  [stale from step ' + bar.stale + ']' : '') +
          (bar.via ? '  [the path of the violation]' : '')},
        (i === 0 && bar.from >= 0 ? '+ ' : '') + label);
      cells.push(td);
    }
    return cells;
  }

  function drawTimeline(host, tl) {
    host.textContent = '';
    const n = tl.steps.length;
    host.appendChild(el('h2', {id: 'timeline-title', tabindex: '-1'},
      'Timeline: ' + (tl.name || 'trace') + ' (' + tl.variant + ')'));
    if (tl.description) host.appendChild(el('p', {}, tl.description));
    if (tl.bad_input) host.appendChild(el('p', {class: 'viol'}, 'Bad input: ' + tl.bad_input));
    const verdict = el('p', {class: 'verdict'});
    if (tl.violation_step !== null) {
      verdict.appendChild(el('span', {class: 'mark-stale'},
        'First violation after step ' + tl.violation_step + ': '));
      verdict.appendChild(document.createTextNode(tl.violations.join('; ')));
      if (tl.via) {
        verdict.appendChild(document.createTextNode(' '));
        verdict.appendChild(el('span', {class: 'mark-via'}, '(outlined: via ' + tl.via + ')'));
      }
    } else {
      verdict.textContent = 'Every property holds after every step.';
    }
    host.appendChild(verdict);
    const sentence = el('p', {class: 'sentence', 'aria-live': 'polite'},
      'Hover or focus a step for what it did.');
    host.appendChild(sentence);
    const scroll = el('div', {class: 'scroll'});
    const table = el('table', {class: 'tl', 'data-steps': n,
      'data-violation-step': tl.violation_step === null ? '' : tl.violation_step});
    const cg = el('colgroup');
    cg.appendChild(el('col', {class: 'lanecol'}));
    for (let s = -1; s < n; s++)
      cg.appendChild(el('col', {class: 'stepcol' + (s === tl.violation_step ? ' violating' : '')}));
    table.appendChild(cg);
    table.style.width = (8.5 + 10.5 * (n + 1)) + 'em';
    const head = el('tr');
    head.appendChild(el('th', {class: 'lane', scope: 'col'}, 'step'));
    for (let s = -1; s < n; s++) {
      const viol = s === tl.violation_step;
      const text = s < 0 ? 'Initial state (boot).' : tl.steps[s].sentence;
      const th = el('th', {class: 'step' + (viol ? ' violating' : ''), scope: 'col',
        tabindex: '0', 'data-step': s, title: text}, stepName(tl, s));
      const show = function () { sentence.textContent = text; };
      th.addEventListener('mouseenter', show);
      th.addEventListener('focus', show);
      head.appendChild(th);
    }
    const thead = el('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    const body = el('tbody');
    function laneRows(lane, rows) {
      rows.forEach(function (cells, i) {
        const tr = el('tr', {'data-lane': lane, class: i === 0 ? 'lanefirst' : ''});
        if (i === 0)
          tr.appendChild(el('th', {class: 'lane', scope: 'rowgroup', rowspan: rows.length},
            LANE_NAMES[lane]));
        cells.forEach(function (c) { tr.appendChild(c); });
        body.appendChild(tr);
      });
    }
    // op and its outcome
    const ops = [el('td', {class: 'opcell'}, '')];
    tl.steps.forEach(function (st) {
      ops.push(el('td', {class: 'opcell', title: st.op + ' -> ' + st.outcome}, st.op + ' -> ' + st.outcome));
    });
    laneRows('op', [ops]);
    for (const lane of LANES) {
      if (lane === 'op' || lane === 'access') continue;
      const rows = [];
      for (const bar of tl.bars) {
        if (bar.lane !== lane) continue;
        const cells = [];
        if (bar.from + 1 > 0) cells.push(el('td', {colspan: bar.from + 1}));
        barCells(tl, bar, n).forEach(function (c) { cells.push(c); });
        if (n - bar.to > 0) cells.push(el('td', {colspan: n - bar.to}));
        rows.push(cells);
      }
      if (rows.length) laneRows(lane, rows);
    }
    const acc = [el('td', {}, '')];
    tl.steps.forEach(function (st) {
      if (!st.access) { acc.push(el('td')); return; }
      const via = st.i === tl.violation_step || (tl.violation_step !== null &&
        st.i > tl.violation_step && st.outcome.indexOf('via') >= 0);
      acc.push(el('td', {class: 'access' + (st.outcome.indexOf('ok') === 0 ? '' : ' fault') +
        (via ? ' via' : ''), title: st.op + ' -> ' + st.outcome}, st.outcome));
    });
    laneRows('access', [acc]);
    const viol = [el('td', {}, tl.initial_violations.length ? 'violated' : '')];
    tl.steps.forEach(function (st) {
      viol.push(el('td', {class: st.violations.length ? 'viol' : '', title: st.violations.join('\n')},
        st.violations.map(function (v) { return v.split(':')[0]; }).join(', ')));
    });
    const vr = el('tr', {'data-lane': 'violations', class: 'lanefirst'});
    vr.appendChild(el('th', {class: 'lane', scope: 'row'}, 'violations'));
    viol.forEach(function (c) { vr.appendChild(c); });
    body.appendChild(vr);
    table.appendChild(body);
    scroll.appendChild(table);
    host.appendChild(scroll);
    host.hidden = false;
  }

  const host = document.getElementById('timeline');
  if (data.trace) { drawTimeline(host, data.trace); return; }

  // The table: filters and clickable violated cells.
  const table = document.getElementById('verdicts');
  const form = document.getElementById('filters');
  form.hidden = false;
  function applyFilters() {
    const v = form.variant.value, r = form.row.value, p = form.property.value;
    for (const tr of table.tBodies[0].rows) {
      const show = (!v || tr.dataset.variant === v) && (!r || tr.dataset.row === r);
      tr.classList.toggle('hidden', !show);
    }
    for (const c of table.querySelectorAll('[data-p]'))
      c.classList.toggle('hidden', !!p && c.dataset.p !== p);
  }
  form.addEventListener('change', applyFilters);
  function open(id, focus) {
    const tl = data.timelines[id];
    if (!tl) return;
    for (const a of table.querySelectorAll('a.active')) a.classList.remove('active');
    const a = table.querySelector('a[data-cell="' + id + '"]');
    if (a) a.classList.add('active');
    drawTimeline(host, tl);
    host.dataset.cell = id;
    if (focus) document.getElementById('timeline-title').focus();
  }
  table.addEventListener('click', function (e) {
    const a = e.target.closest('a[data-cell]');
    if (!a) return;
    e.preventDefault();
    history.replaceState(null, '', '#' + a.dataset.cell);
    open(a.dataset.cell, true);
  });
  if (location.hash.length > 1) open(location.hash.slice(1), false);
})();
)JS";

}  // namespace pasidcheck::cli
