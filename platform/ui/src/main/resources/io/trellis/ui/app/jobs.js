// The jobs framework (Chronos' /v1/scheduler API, through the master): the dependency graph drawn,
// each job's schedule, next run, last success and error, its history with durations; run now; add
// a job from Chronos JSON.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api, Unauthorized } from './api.js';
import { usePoll } from './poll.js';
import { useFrameworkBase } from './frameworks.js';

export function Jobs({ onUnauthorized }) {
  const { base, error } = useFrameworkBase('trellis-jobs', onUnauthorized);
  const summary = usePoll(base && base + '/v1/scheduler/jobs/summary', 3000, onUnauthorized);
  const full = usePoll(base && base + '/v1/scheduler/jobs', 3000, onUnauthorized);
  const [open, setOpen] = useState(null);
  if (!base) return error ? html`<div class="error">${error}</div>` : html`<p class="loading">Finding the jobs framework…</p>`;
  const jobs = (summary.data && summary.data.jobs) || [];
  const byName = new Map(((full.data) || []).map((j) => [j.name, j]));
  return html`<div id="jobs">
    ${[summary.error, full.error].filter(Boolean).map((e) => html`<div class="error">${e}</div>`)}
    <section><h2>Dependencies</h2><${Graph} jobs=${jobs} onPick=${setOpen} /></section>
    <section id="job-list"><h2>Jobs <span class="muted">(${jobs.length})</span></h2>
      <table><thead><tr><th>job</th><th>schedule</th><th>next run</th><th>last success</th><th>last error</th><th>now</th><th></th></tr></thead>
      <tbody>${jobs.map((j) => { const f = byName.get(j.name) || {}; return html`<tr class="job-row" data-job=${j.name}>
        <td><a href="javascript:void 0" onClick=${() => setOpen(open === j.name ? null : j.name)}>${j.name}</a>
          ${j.disabled ? html` <span class="state">disabled</span>` : ''}</td>
        <td><code>${j.schedule || (j.parents.length ? 'after ' + j.parents.join(', ') : '')}</code></td>
        <td class="muted">${j.nextRun ? new Date(j.nextRun).toLocaleString() : '–'}</td>
        <td>${f.lastSuccess ? new Date(f.lastSuccess).toLocaleString() : html`<span class="muted">never</span>`}</td>
        <td>${f.lastError ? html`<span class="reason">${new Date(f.lastError).toLocaleString()}</span>` : html`<span class="muted">never</span>`}</td>
        <td><span class=${'state ' + (j.status === 'failure' ? 'bad' : j.status === 'success' ? 'ok' : '')}>${j.state}</span></td>
        <td><${RunNow} base=${base} name=${j.name} onUnauthorized=${onUnauthorized} /></td></tr>
        ${open === j.name && html`<tr><td colspan="7"><${History} base=${base} name=${j.name} onUnauthorized=${onUnauthorized} /></td></tr>`}`; })}
      </tbody></table></section>
    <${AddJob} base=${base} onUnauthorized=${onUnauthorized} />
  </div>`;
}

function RunNow({ base, name, onUnauthorized }) {
  const [said, setSaid] = useState(null);
  const run = async () => {
    try {
      await api(base + '/v1/scheduler/job/' + encodeURIComponent(name), { method: 'PUT' });
      setSaid('started');
    } catch (e) {
      if (e instanceof Unauthorized) { onUnauthorized(e.message); return; }
      setSaid(e.message);
    }
  };
  return html`<span><button class="run-now" onClick=${run}>run now</button> ${said && html`<span class="muted">${said}</span>`}</span>`;
}

function History({ base, name, onUnauthorized }) {
  const { data, error } = usePoll(base + '/v1/scheduler/job/' + encodeURIComponent(name) + '/history', 2000, onUnauthorized);
  if (error) return html`<div class="error">${error}</div>`;
  if (!data) return html`<p class="loading">Reading the history…</p>`;
  const runs = Array.isArray(data) ? data : (data.runs || []);
  return html`<div class="card job-history" data-job=${name}><h3>History of ${name}</h3>
    ${runs.length === 0 ? html`<p class="muted">no runs yet</p>` : html`<table>
      <thead><tr><th>slot</th><th>trigger</th><th>state</th><th class="num">attempts</th><th>started</th><th class="num">duration</th><th>exit</th><th>message</th></tr></thead>
      <tbody>${runs.slice().reverse().map((r) => html`<tr class="run-row">
        <td class="muted">${r.slot ? new Date(r.slot).toLocaleString() : '–'}</td><td>${r.trigger}</td>
        <td><span class=${'state ' + (r.state === 'SUCCEEDED' ? 'ok' : r.state === 'FAILED' ? 'bad' : 'warn')}>${r.state.toLowerCase()}</span></td>
        <td class="num">${r.attempts}</td><td class="muted">${r.started ? new Date(r.started).toLocaleTimeString() : '–'}</td>
        <td class="num">${r.durationMs !== null && r.durationMs !== undefined ? (r.durationMs / 1000).toFixed(1) + ' s' : '–'}</td>
        <td>${r.exitStatus ?? ''}</td><td class="muted">${r.message || ''}</td></tr>`)}</tbody></table>`}
  </div>`;
}

/** The dependency graph, laid out in layers: a job sits one layer right of its deepest parent. */
function Graph({ jobs, onPick }) {
  if (jobs.length === 0) return html`<p class="muted">no jobs yet</p>`;
  const depth = new Map();
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const depthOf = (name, seen = new Set()) => {
    if (depth.has(name)) return depth.get(name);
    if (seen.has(name)) return 0;
    seen.add(name);
    const j = byName.get(name);
    const d = !j || j.parents.length === 0 ? 0 : 1 + Math.max(...j.parents.map((p) => depthOf(p, seen)));
    depth.set(name, d);
    return d;
  };
  jobs.forEach((j) => depthOf(j.name));
  const layers = [];
  jobs.forEach((j) => { const d = depth.get(j.name); (layers[d] = layers[d] || []).push(j.name); });
  const W = 180, H = 44, GAP_X = 60, GAP_Y = 14;
  const pos = new Map();
  layers.forEach((names, x) => names.forEach((n, y) => pos.set(n, { x: 10 + x * (W + GAP_X), y: 10 + y * (H + GAP_Y) })));
  const width = 20 + layers.length * (W + GAP_X);
  const height = 20 + Math.max(...layers.map((l) => l.length)) * (H + GAP_Y);
  const color = (j) => j.status === 'failure' ? '#fee4e2' : j.status === 'success' ? '#dcfae6' : '#eef1f4';
  return html`<svg id="job-graph" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img"
      aria-label="job dependency graph">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
      <path d="M 0 0 L 10 5 L 0 10 z" fill="#667085" /></marker></defs>
    ${jobs.flatMap((j) => j.parents.filter((p) => pos.has(p)).map((p) => { const a = pos.get(p); const b = pos.get(j.name);
      return html`<line class="edge" x1=${a.x + W} y1=${a.y + H / 2} x2=${b.x} y2=${b.y + H / 2} stroke="#98a2b3" marker-end="url(#arrow)" />`; }))}
    ${jobs.map((j) => { const p = pos.get(j.name); return html`<g class="node" data-job=${j.name} onClick=${() => onPick(j.name)} style="cursor: pointer">
      <rect x=${p.x} y=${p.y} width=${W} height=${H} rx="6" fill=${color(j)} stroke="#98a2b3" />
      <text x=${p.x + 8} y=${p.y + 18} font-size="12" font-weight="600">${j.name.length > 24 ? j.name.slice(0, 23) + '…' : j.name}</text>
      <text x=${p.x + 8} y=${p.y + 34} font-size="11" fill="#667085">${j.state}${j.schedule ? ' · ' + j.schedule.slice(0, 22) : ''}</text></g>`; })}
  </svg>`;
}

/** Adds a job from its Chronos JSON: POST /iso8601 for a scheduled job, /dependency for one with parents. */
function AddJob({ base, onUnauthorized }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState({ ok: null, error: null, fields: [] });
  const submit = async (e) => {
    e.preventDefault();
    let job;
    try {
      job = JSON.parse(text);
    } catch (err) {
      setResult({ ok: null, error: 'not JSON: ' + err.message, fields: [] });
      return;
    }
    const kind = job && Array.isArray(job.parents) && job.parents.length ? 'dependency' : 'iso8601';
    try {
      await api(base + '/v1/scheduler/' + kind, { method: 'POST', body: text });
      setResult({ ok: 'added ' + (job.name || ''), error: null, fields: [] });
      setText('');
    } catch (err) {
      if (err instanceof Unauthorized) { onUnauthorized(err.message); return; }
      setResult({ ok: null, error: err.message, fields: (err.body && err.body.errors) || [] });
    }
  };
  return html`<section id="add-job"><h2>Add a job</h2>
    <form onSubmit=${submit} class="deploy-form">
      <p class="muted">Paste or upload a Chronos job (JSON): <input id="job-file" type="file" accept=".json,application/json"
        onChange=${async (e) => { const f = e.target.files[0]; if (f) setText(await f.text()); }} /></p>
      <textarea id="job-json" rows="6" value=${text} onInput=${(e) => setText(e.target.value)}
        placeholder='{"name": "nightly-report", "command": "echo report", "schedule": "R/2030-01-01T02:00:00Z/P1D", "cpus": 0.1, "mem": 32}'></textarea>
      <div><button id="job-submit" type="submit">Add</button> ${result.ok && html`<span class="muted">${result.ok}</span>`}</div>
      ${result.error && html`<div class="error" id="job-error">${result.error}
        ${result.fields.length > 0 && html`<ul>${result.fields.map((f) => html`<li><code>${f.path}</code>: ${f.message}</li>`)}</ul>`}</div>`}
    </form></section>`;
}
