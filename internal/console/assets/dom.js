// DOM and formatting helpers of the sluice console, and the lag chart.
// Every value goes into the page as text (or an attribute), never as HTML.

// h builds an element: attributes (on* are listeners), then children
// (nodes, or text).
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const kid of kids.flat(Infinity)) {
    if (kid !== null && kid !== undefined && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') el.style.cssText = v; // through the CSSOM: the CSP refuses style attributes
    else el.setAttribute(k, v === true ? '' : v);
  }
}

// svg builds an SVG element.
function svg(tag, attrs, ...kids) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  for (const kid of kids) el.append(kid instanceof Node ? kid : String(kid));
  return el;
}

let toastTimer = null;
export function toast(msg, isError) {
  const el = document.getElementById('toast');
  el.textContent = msg;
  el.className = isError ? 'error' : '';
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, isError ? 8000 : 3000);
}

const num = new Intl.NumberFormat('en-US');
export const fmtNum = (n) => (n === null || n === undefined ? '—' : num.format(n));

export function fmtBytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + units[i];
}

export function fmtLag(s) {
  if (s === null || s === undefined) return '—';
  if (s < 1) return Math.round(s * 1000) + ' ms';
  if (s < 120) return s.toFixed(1) + ' s';
  if (s < 7200) return (s / 60).toFixed(1) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

export function badge(text, cls, data) {
  return h('span', { class: 'badge ' + (cls || text), dataset: data }, text);
}

// lagChart draws the lag samples of the last windowSec seconds: at most
// one point per pixel column (the highest lag in it).
export function lagChart(samples, interval, windowSec) {
  const W = 560, H = 190, L = 52, R = 10, T = 12, B = 24;
  const now = Date.now();
  let t0 = now - windowSec * 1000;
  const pts = samples.map((s) => [new Date(s.at).getTime(), s.lag_seconds]).filter(([t]) => t >= t0);
  // Samples that cover part of the window only (a new task) fill the
  // width: from the first sample, or from a minute ago at least.
  if (pts.length) t0 = Math.max(t0, Math.min(pts[0][0], now - 60000));
  const cols = new Map();
  for (const [t, v] of pts) {
    const c = Math.round(((t - t0) / (now - t0)) * (W - L - R));
    if (!cols.has(c) || cols.get(c) < v) cols.set(c, v);
  }
  const max = niceMax(Math.max(0, ...cols.values()));
  const y = (v) => T + (1 - v / max) * (H - T - B);
  const chart = svg('svg', { class: 'chart', id: 'lag-chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': 'lag over the last ' + windowSec / 60 + ' minutes', 'data-samples': pts.length,
    'data-max': pts.length ? Math.max(...pts.map((p) => p[1])) : 0 });
  for (const v of [0, max / 2, max]) {
    chart.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: y(v), y2: y(v) }),
      svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, v === 0 ? '0' : fmtLag(v)));
  }
  chart.append(svg('text', { x: L, y: H - 6 }, new Date(t0).toLocaleTimeString()),
    svg('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, 'now'));
  if (cols.size === 0) {
    chart.append(svg('text', { x: (W + L) / 2, y: H / 2, 'text-anchor': 'middle' },
      'No samples yet: the lag is sampled every ' + interval + ' s in the incremental phase'));
    return chart;
  }
  const line = [...cols.entries()].sort((a, b) => a[0] - b[0]).map(([c, v]) => `${(L + c).toFixed(1)},${y(v).toFixed(1)}`);
  const first = line[0].split(',')[0];
  const last = line[line.length - 1].split(',')[0];
  chart.append(svg('polygon', { class: 'area', points: `${first},${y(0)} ${line.join(' ')} ${last},${y(0)}` }),
    svg('polyline', { points: line.join(' ') }));
  return chart;
}

// niceMax rounds a chart's top up to 1, 2 or 5 times a power of ten.
function niceMax(v) {
  if (v <= 1) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}
