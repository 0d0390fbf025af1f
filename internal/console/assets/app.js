// sluice console: a client of the REST API under /api/v1 (docs/server.md).
// Views: login, task list, new task (with its precheck), task page. The
// API token is kept in sessionStorage and sent as a bearer token; every
// value from the API is put into the page as text, never as HTML.
import { badge, fmtBytes, fmtLag, fmtNum, fmtTime, h, lagChart, toast } from './dom.js';

const API = '/api/v1';
const TOKEN = 'sluice-token';
const REFRESH_MS = 2000;
const main = document.getElementById('main');
let timer = null; // the current view's refresh
let view = 0; // counts views, so that a late answer of an old view is dropped

// ---- API ----------------------------------------------------------------

class APIError extends Error {
  constructor(status, body) {
    super((body && body.error) || 'the server answered ' + status);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body) {
  const opts = { method, headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const resp = await fetch(API + path, opts);
  if (resp.status === 401) {
    sessionStorage.removeItem(TOKEN);
    route();
    throw new APIError(401, { error: 'the token is no longer valid: log in again' });
  }
  const text = await resp.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
  }
  if (!resp.ok) throw new APIError(resp.status, data);
  return data;
}

const enc = encodeURIComponent;
const taskPath = (name) => '/tasks/' + enc(name);

// stateBadge shows a task's state, and where it is going when that differs
// (a pause in progress: running → paused).
function stateBadge(t, id) {
  const going = t.desired_state && t.desired_state !== t.state && ['running', 'prechecking'].includes(t.state) &&
    t.desired_state !== 'running' ? ' → ' + t.desired_state : '';
  const b = badge(t.state + going, t.state, { state: t.state });
  if (id) b.id = id;
  return b;
}

// every runs fn now and every ms while the view lasts, one run at a time.
function every(ms, fn) {
  const mine = view;
  let busy = false;
  const tick = async () => {
    if (busy || mine !== view) return;
    busy = true;
    try {
      await fn(mine);
    } catch (e) {
      if (e.status !== 401 && mine === view) toast(e.message, true);
    } finally {
      busy = false;
    }
  };
  tick();
  timer = setInterval(tick, ms);
  return tick;
}

// ---- routing --------------------------------------------------------------

function route() {
  clearInterval(timer);
  timer = null;
  view++;
  const authed = !!sessionStorage.getItem(TOKEN);
  document.getElementById('nav').hidden = !authed;
  if (!authed) return showLogin();
  const hash = location.hash || '#/';
  if (hash === '#/new') return showNew();
  const m = hash.match(/^#\/task\/(.+)$/);
  if (m) return showTask(decodeURIComponent(m[1]));
  return showList();
}

window.addEventListener('hashchange', route);
document.getElementById('logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN);
  route();
});

// ---- login ----------------------------------------------------------------

function showLogin() {
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', required: true, autofocus: true });
  const err = h('div', { class: 'error-box', id: 'login-error', hidden: true });
  const form = h('form', { id: 'login', class: 'card login' },
    h('h2', {}, 'Log in to sluice'),
    h('p', { class: 'muted' }, 'Give the API token: sluice server printed it when it first started, and keeps it in DATA_DIR/token (or the file of --token-file). It stays in this tab only.'),
    err,
    h('label', { for: 'token' }, 'API token'), input,
    h('p', {}, h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Log in')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    try {
      const resp = await fetch(API + '/tasks', { headers: { Authorization: 'Bearer ' + token } });
      if (!resp.ok) {
        err.textContent = resp.status === 401 ? 'That token is not valid.' : 'The server answered ' + resp.status + '.';
        err.hidden = false;
        return;
      }
    } catch (e) {
      err.textContent = 'The server cannot be reached: ' + e.message;
      err.hidden = false;
      return;
    }
    sessionStorage.setItem(TOKEN, token);
    route();
  });
  main.replaceChildren(form);
  input.focus();
}

// ---- task list --------------------------------------------------------------

function showList() {
  const tbody = h('tbody');
  main.replaceChildren(
    h('h1', {}, 'Tasks', h('a', { class: 'button primary', href: '#/new', id: 'new-task' }, 'New task')),
    h('div', { class: 'card' }, h('table', { id: 'tasks' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'State'), h('th', {}, 'Phase'),
        h('th', { class: 'num' }, 'Lag'), h('th', {}, 'Last error'))),
      tbody)));
  every(REFRESH_MS, async (mine) => {
    const data = await api('GET', '/tasks');
    if (mine !== view) return;
    const rows = data.tasks.map((t) => h('tr', { dataset: { task: t.name } },
      h('td', {}, h('a', { href: '#/task/' + enc(t.name) }, t.name)),
      h('td', {}, stateBadge(t)),
      h('td', {}, t.phase || '—'),
      h('td', { class: 'num' }, fmtLag(t.lag_seconds)),
      h('td', { class: 'muted' }, t.last_error.length > 140 ? t.last_error.slice(0, 140) + '…' : t.last_error)));
    tbody.replaceChildren(...(rows.length ? rows
      : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No tasks yet: create one with New task.'))]));
  });
}

// ---- new task ---------------------------------------------------------------

const PHASES = ['schema', 'full', 'incremental'];

function field(id, label, hint, input) {
  input.id = id;
  return [h('label', { for: id }, label, hint ? h('span', { class: 'hint' }, ' ' + hint) : null), input];
}

// columns lays fields side by side (cls: grid, halves; row, 2:1).
const columns = (cls, ...cells) => h('div', { class: cls }, cells.map((c) => h('div', {}, c)));

// checkItem shows one precheck item with its instruction (and extra: the
// box that acknowledges it).
function checkItem(r, extra) {
  return h('div', { class: 'item ' + r.severity, dataset: { check: r.id, severity: r.severity } },
    h('div', {}, badge(r.severity), ' ', h('strong', {}, r.id), r.object ? ' ' + r.object : '', r.acknowledged ? ' (acknowledged)' : ''),
    h('div', {}, r.message),
    h('div', { class: 'instr' }, r.instruction),
    extra);
}

function showNew() {
  let created = null; // the name of the task this form created
  const inp = (attrs) => h('input', Object.assign({ type: 'text', autocomplete: 'off' }, attrs));
  const f = {
    name: inp({ required: true, placeholder: 'shop', pattern: '[A-Za-z0-9_.\\-]{1,63}' }),
    source: inp({ required: true, placeholder: 'mysql://sluice@db1:3306' }),
    sourcePw: h('input', { type: 'password', autocomplete: 'new-password' }),
    target: inp({ required: true, placeholder: 'postgres://sluice@pg1:5432/app?sslmode=verify-full' }),
    targetPw: h('input', { type: 'password', autocomplete: 'new-password' }),
    include: h('textarea', { placeholder: 'shop.*' }),
    exclude: h('textarea', { placeholder: 'shop.tmp_*' }),
    conflict: h('select', {}, h('option', { value: 'error' }, 'error: refuse existing target tables'),
      h('option', { value: 'ignore' }, 'ignore: load into existing tables')),
    kase: h('select', {}, ['default', 'target', 'source', 'upper'].map((c) => h('option', { value: c }, c))),
    lag: h('input', { type: 'number', min: '0', step: 'any', placeholder: 'none' }),
    lagFor: inp({ placeholder: '5m' }),
  };
  const phases = PHASES.map((p) => h('input', { type: 'checkbox', name: 'phase', value: p, checked: true }));
  const err = h('div', { class: 'error-box', id: 'form-error', hidden: true });
  const report = h('div', { id: 'precheck' });
  const checkBtn = h('button', { type: 'submit', class: 'primary', id: 'check' }, 'Create and check');
  const startBtn = h('button', { type: 'button', id: 'start', class: 'primary', disabled: true }, 'Start');

  const list = (text) => text.split(/[\s,]+/).filter(Boolean);
  const acks = () => [...new Set([...report.querySelectorAll('input.ack:checked')].map((c) => c.value))];

  function withPassword(raw, pw, key) {
    if (!pw) return raw;
    let u;
    try { u = new URL(raw); } catch (e) { throw new APIError(400, { error: key + ': not a URL', field: key }); }
    u.password = pw;
    return u.href;
  }

  function spec() {
    const s = { name: f.name.value.trim(),
      source: withPassword(f.source.value.trim(), f.sourcePw.value, 'source'),
      target: withPassword(f.target.value.trim(), f.targetPw.value, 'target') };
    const inc = list(f.include.value);
    const exc = list(f.exclude.value);
    if (inc.length) s.include = inc;
    if (exc.length) s.exclude = exc;
    const ph = phases.filter((c) => c.checked).map((c) => c.value);
    if (ph.length !== PHASES.length) s.phases = ph;
    if (f.conflict.value !== 'error') s.conflict = f.conflict.value;
    if (f.kase.value !== 'default') s.case = f.kase.value;
    const a = acks();
    if (a.length) s.ack = a;
    if (f.lag.value !== '') s.alert_lag_seconds = Number(f.lag.value);
    if (f.lagFor.value.trim()) s.alert_lag_for = f.lagFor.value.trim();
    return s;
  }

  const inputs = { name: f.name, source: f.source, target: f.target, include: f.include, exclude: f.exclude,
    conflict: f.conflict, case: f.kase, alert_lag_seconds: f.lag, alert_lag_for: f.lagFor };
  function showError(e) {
    for (const el of Object.values(inputs)) el.removeAttribute('aria-invalid');
    let msg = e.message;
    if (e.status === 409 && !e.body.state) msg += ': pick another name, or open that task from the list';
    err.textContent = msg;
    err.hidden = false;
    const bad = inputs[e.body && e.body.field];
    if (bad) { bad.setAttribute('aria-invalid', 'true'); bad.focus(); }
    if (e.body && e.body.precheck) renderReport(e.body.precheck);
  }

  // save creates the task, or replaces the spec of the one this form created.
  async function save() {
    const s = spec();
    if (created === s.name) await api('PUT', taskPath(s.name), s);
    else {
      await api('POST', '/tasks', s);
      created = s.name;
    }
    return s.name;
  }

  function renderReport(rep) {
    const items = [];
    const warned = new Set();
    for (const r of rep.results) {
      let ack = null;
      if (r.severity === 'warning' && !warned.has(r.id)) {
        warned.add(r.id);
        ack = h('label', { class: 'inline' }, h('input', { type: 'checkbox', class: 'ack', value: r.id, checked: r.acknowledged }),
          'Acknowledge ' + r.id + ' (every item of this check)');
      }
      items.push(checkItem(r, ack));
    }
    const errors = rep.results.filter((r) => r.severity === 'error').length;
    const summary = rep.results.length === 0
      ? h('div', { class: 'ok-box', id: 'precheck-summary' }, 'Every check passed.')
      : h('div', { class: errors ? 'error-box' : 'warn-box', id: 'precheck-summary' },
        errors ? errors + ' error(s) block the start: fix them (see each instruction), then check again.'
          : rep.results.length + ' warning(s): acknowledge those you accept, then start.');
    const names = (rep.names || []).map((n) => h('tr', {}, h('td', {}, n.source), h('td', {}, n.target)));
    report.replaceChildren(h('div', { class: 'card' }, h('h2', {}, 'Precheck'), summary, items,
      names.length ? h('details', {}, h('summary', {}, names.length + ' table(s) selected'),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Source'), h('th', {}, 'Target'))), h('tbody', {}, names))) : null,
      h('div', { class: 'actions' }, startBtn)));
    startBtn.disabled = errors > 0;
  }

  async function check(ev) {
    ev.preventDefault();
    err.hidden = true;
    checkBtn.disabled = startBtn.disabled = true;
    checkBtn.textContent = 'Checking…';
    try {
      const name = await save();
      renderReport(await api('POST', taskPath(name) + '/precheck'));
    } catch (e) {
      showError(e);
    } finally {
      checkBtn.disabled = false;
      checkBtn.textContent = created ? 'Save and check again' : 'Create and check';
    }
  }

  async function start() {
    err.hidden = true;
    startBtn.disabled = true;
    startBtn.textContent = 'Starting…';
    try {
      const name = await save(); // with the acknowledgements
      await api('POST', taskPath(name) + '/start');
      toast('Task ' + name + ' started');
      location.hash = '#/task/' + enc(name);
    } catch (e) {
      showError(e);
      startBtn.disabled = false;
    } finally {
      startBtn.textContent = 'Start';
    }
  }
  startBtn.addEventListener('click', start);

  const form = h('form', { id: 'create', class: 'card', novalidate: true, onsubmit: check },
    err,
    field('f-name', 'Name', '1–63 letters, digits, _ . -; keys the task’s state in the target', f.name),
    columns('row', field('f-source', 'Source', 'MySQL or MariaDB: mysql://user@host:port', f.source),
      field('f-source-password', 'Source password', 'never shown again', f.sourcePw)),
    columns('row', field('f-target', 'Target', 'PostgreSQL: postgres://user@host:port/db', f.target),
      field('f-target-password', 'Target password', 'never shown again', f.targetPw)),
    columns('grid', field('f-include', 'Include', 'db.table patterns, * and ?; one a line (default: every database)', f.include),
      field('f-exclude', 'Exclude', 'patterns to leave out', f.exclude)),
    h('label', {}, 'Phases'),
    h('div', { class: 'inline', id: 'f-phases' }, phases.map((c) => h('label', {}, c, c.value))),
    columns('grid', field('f-conflict', 'When target tables exist', '', f.conflict), field('f-case', 'Case of new names', '', f.kase)),
    columns('grid', field('f-alert-lag', 'Lag alert threshold (s)', 'optional: webhooks of --alert-webhook', f.lag),
      field('f-alert-for', 'Lag alert after', 'how long above the threshold (default 5m)', f.lagFor)),
    h('p', { class: 'actions' }, checkBtn, h('span', { class: 'muted' }, 'creates the task and runs its prechecks; nothing starts yet')));
  main.replaceChildren(h('h1', {}, 'New task'), form, report);
  f.name.focus();
}

// ---- task page --------------------------------------------------------------

// ACTIONS: what each button does and when the state machine allows it.
const ACTIONS = [
  ['start', 'Start', (s) => ['created', 'stopped', 'failed'].includes(s.state)],
  ['pause', 'Pause', (s) => s.state === 'running'],
  ['resume', 'Resume', (s) => s.state === 'paused'],
  ['stop', 'Stop', (s) => ['running', 'paused', 'prechecking', 'failed'].includes(s.state)],
  ['verify', 'Verify', (s) => !s.verifying],
  ['delete', 'Delete', () => true],
];
const WINDOWS = [['15m', 900], ['1h', 3600], ['24h', 86400]];

function showTask(name) {
  const path = taskPath(name);
  let windowSec = 900;
  let busy = false;
  const head = h('h1', {}, name);
  const lastError = h('div', { class: 'error-box', id: 'last-error', hidden: true });
  const repair = h('input', { type: 'checkbox', id: 'repair' });
  const buttons = ACTIONS.map(([act, label]) => h('button', { type: 'button', dataset: { action: act },
    class: act === 'delete' || act === 'stop' ? 'danger' : '', onclick: () => act === 'delete' ? del(buttonFor('delete')) : run(act) }, label));
  const buttonFor = (act) => buttons.find((b) => b.dataset.action === act);
  const progress = h('div', { id: 'progress' });
  const chart = h('div', { id: 'lag' });
  const verification = h('div', { id: 'verification' });
  const events = h('tbody');
  const details = h('div');
  const windowSel = h('select', { id: 'lag-window', onchange: () => { windowSec = Number(windowSel.value); refresh(); } },
    WINDOWS.map(([l, s]) => h('option', { value: s }, 'last ' + l)));

  main.replaceChildren(head, lastError,
    h('div', { class: 'card actions', id: 'actions' }, buttons.slice(0, 5), h('label', { class: 'inline' }, repair, 'with repair'),
      h('span', { style: 'flex:1' }), buttons[5]),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Progress'), progress),
      h('div', { class: 'card' }, h('div', { class: 'actions' }, h('h2', { style: 'flex:1' }, 'Lag'), windowSel), chart)),
    h('div', { class: 'card' }, h('h2', {}, 'Verification'), verification),
    h('div', { class: 'card' }, h('h2', {}, 'Events and errors'),
      h('table', { class: 'events', id: 'events' }, h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Level'), h('th', {}, 'Event'), h('th', {}, 'Message'))), events)),
    details);

  async function run(act) {
    if (busy) return;
    busy = true;
    buttons.forEach((b) => { b.disabled = true; });
    const label = buttonFor(act).textContent;
    buttonFor(act).textContent = label + '…';
    try {
      await api('POST', path + '/' + act, act === 'verify' ? { repair: repair.checked } : undefined);
      toast(act === 'verify' ? 'Verification started' : 'Task ' + name + ': ' + act + ' done');
    } catch (e) {
      toast(e.message, true);
    } finally {
      buttonFor(act).textContent = label;
      busy = false;
      refresh();
    }
  }

  // del asks for a second click before it deletes.
  async function del(btn) {
    if (btn.dataset.confirm !== 'yes') {
      btn.dataset.confirm = 'yes';
      btn.textContent = 'Click again to delete';
      setTimeout(() => { btn.dataset.confirm = ''; btn.textContent = 'Delete'; }, 5000);
      return;
    }
    try {
      await api('DELETE', path);
      toast('Task ' + name + ' deleted');
      location.hash = '#/';
    } catch (e) {
      toast(e.message, true);
    }
  }

  const refresh = every(REFRESH_MS, async (mine) => {
    const since = new Date(Date.now() - windowSec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    let s;
    try {
      s = await api('GET', path);
    } catch (e) {
      if (e.status !== 404 || mine !== view) throw e;
      clearInterval(timer); // deleted, or never was: nothing more to show
      main.replaceChildren(h('h1', {}, name), h('p', {}, 'There is no task ' + name + '. ', h('a', { href: '#/' }, 'Back to the tasks')));
      return;
    }
    const [lag, ev, v] = await Promise.all([
      api('GET', path + '/lag?since=' + enc(since)),
      api('GET', path + '/events?limit=50'),
      api('GET', path + '/verify').catch((e) => { if (e.status === 404) return null; throw e; }),
    ]);
    if (mine !== view) return;
    renderHead(s);
    progress.replaceChildren(renderProgress(s));
    chart.replaceChildren(lagChart(lag.samples, lag.interval_seconds, windowSec));
    verification.replaceChildren(renderVerification(v));
    events.replaceChildren(...ev.events.map((e) => h('tr', { dataset: { kind: e.kind } },
      h('td', {}, fmtTime(e.at)), h('td', {}, badge(e.level)), h('td', {}, e.kind), h('td', { class: 'msg' }, e.message))));
    details.replaceChildren(renderDetails(s));
  });

  function renderHead(s) {
    head.replaceChildren(...[name, stateBadge(s, 'task-state'),
      h('span', { class: 'badge', id: 'task-phase', dataset: { phase: s.phase } }, s.phase || 'no phase yet'),
      h('span', { class: 'muted', id: 'task-lag' }, 'lag ' + fmtLag(s.lag_seconds)),
      s.verifying ? badge('verifying', 'prechecking') : null].filter(Boolean));
    lastError.hidden = !s.last_error;
    lastError.textContent = s.last_error ? 'Last error: ' + s.last_error : '';
    if (!busy) for (const [act, , allowed] of ACTIONS) buttonFor(act).disabled = !allowed(s);
  }
}

function renderProgress(s) {
  const p = s.progress;
  if (!p) return h('p', { class: 'muted' }, 'No run since the server started.');
  const stat = (k, v, id) => h('div', { class: 'stat', id }, h('div', { class: 'v' }, v), h('div', { class: 'k' }, k));
  const tables = p.tables.map((t) => {
    const pct = t.done ? 100 : t.estimated_rows > 0 ? Math.min(99, (100 * t.rows) / t.estimated_rows) : 0;
    return h('tr', { dataset: { table: t.table } }, h('td', {}, t.table),
      h('td', { class: 'num nowrap' }, fmtNum(t.rows) + ' / ~' + fmtNum(t.estimated_rows)),
      h('td', {}, h('div', { class: 'bar' + (t.done ? ' done' : '') }, h('span', { style: 'width:' + pct.toFixed(1) + '%' }))),
      h('td', { class: 'num nowrap' }, fmtBytes(t.bytes)),
      h('td', {}, t.done ? badge('done') : 'copying'));
  });
  return h('div', {},
    h('div', { class: 'stats' }, stat('rows copied', fmtNum(p.rows), 'stat-rows'), stat('bytes', fmtBytes(p.bytes)),
      stat('transactions', fmtNum(p.transactions), 'stat-txns'), stat('row changes', fmtNum(p.row_changes), 'stat-changes'),
      stat('retries', fmtNum(p.retries))),
    p.position ? h('p', { class: 'muted' }, 'Binlog position: ' + p.position) : null,
    tables.length ? h('table', { id: 'tables' }, h('thead', {}, h('tr', {}, h('th', {}, 'Table'), h('th', { class: 'num' }, 'Rows'),
      h('th', {}, 'Full load'), h('th', { class: 'num' }, 'Bytes'), h('th', {}, ''))), h('tbody', {}, tables))
      : h('p', { class: 'muted' }, 'No full load in this run.'));
}

function renderVerification(v) {
  if (!v) return h('p', { class: 'muted', id: 'verify-state', dataset: { state: 'none' } }, 'Never verified. Verify compares every table of the source with the target while the task runs; with repair, it rewrites the rows that differ.');
  const headLine = h('p', { id: 'verify-state', dataset: { state: v.state } }, badge(v.state, v.state === 'done' ? 'ok' : v.state === 'running' ? 'prechecking' : 'failed'),
    v.repair ? ' with repair' : '', ' started ' + fmtTime(v.started_at), v.finished_at ? ', ended ' + fmtTime(v.finished_at) : '');
  const out = [headLine];
  if (v.error) out.push(h('div', { class: 'error-box' }, v.error));
  const r = v.report;
  if (r) {
    const differ = r.tables.filter((t) => t.missing + t.extra + t.changed > 0 || t.error);
    out.push(h('div', { class: r.ok ? 'ok-box' : 'error-box', id: 'verify-summary', dataset: { ok: String(r.ok) } },
      r.ok ? 'The target equals the source (' + r.tables.length + ' tables).'
        : 'The target DIFFERS from the source in ' + differ.length + ' of ' + r.tables.length + ' tables.'));
    out.push(h('table', { id: 'verify-tables' }, h('thead', {}, h('tr', {}, ['Table', 'Target', 'Mode'].map((c) => h('th', {}, c)),
      ['Source rows', 'Missing', 'Extra', 'Changed', 'Repaired'].map((c) => h('th', { class: 'num' }, c)), h('th', {}, ''))),
    h('tbody', {}, r.tables.map((t) => h('tr', { dataset: { table: t.table } }, h('td', {}, t.table), h('td', {}, t.target), h('td', {}, t.mode),
      [t.source_rows, t.missing, t.extra, t.changed, t.repaired].map((n) => h('td', { class: 'num' }, fmtNum(n))),
      h('td', {}, t.error ? badge('error') : t.missing + t.extra + t.changed > 0 ? badge('differs', 'failed') : badge('equal', 'ok')))))));
    for (const n of r.notes || []) out.push(h('p', { class: 'muted' }, n));
  }
  return h('div', {}, out);
}

function renderDetails(s) {
  const items = s.precheck ? s.precheck.results : [];
  return h('div', { class: 'grid' },
    h('details', { class: 'card' }, h('summary', {}, 'Settings (passwords are never shown)'),
      h('table', {}, h('tbody', {}, Object.keys(s.spec || {}).sort().map((k) =>
        h('tr', {}, h('th', {}, k), h('td', {}, typeof s.spec[k] === 'string' ? s.spec[k] : JSON.stringify(s.spec[k]))))))),
    h('details', { class: 'card' }, h('summary', {}, s.precheck ? 'Last precheck, ' + fmtTime(s.precheck.at) + ': ' + (s.precheck.ok ? 'passed' : 'blocked') : 'Never prechecked'),
      items.length ? items.map((r) => checkItem(r)) : h('p', { class: 'muted' }, 'No items.')));
}

route();
