// The services framework (Marathon's /v2 API, through the master): apps with their instances,
// health and status, deployments with their steps, the launch queue with its reasons; deploy,
// scale, restart and destroy.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api, Unauthorized } from './api.js';
import { usePoll } from './poll.js';
import { useFrameworkBase } from './frameworks.js';
import { Bar } from './format.js';

export function Services({ onUnauthorized }) {
  const { base, error } = useFrameworkBase('services', onUnauthorized);
  const apps = usePoll(base && base + '/v2/apps', 2000, onUnauthorized);
  const deployments = usePoll(base && base + '/v2/deployments', 2000, onUnauthorized);
  const queue = usePoll(base && base + '/v2/queue', 2000, onUnauthorized);
  if (!base) return error ? html`<div class="error">${error}</div>` : html`<p class="loading">Finding the services framework…</p>`;
  const deploying = new Set((deployments.data || []).flatMap((d) => d.affectedApps));
  const waiting = new Map(((queue.data || {}).queue || []).map((q) => [q.app ? q.app.id : '', q]));
  return html`<div id="services">
    ${[apps.error, deployments.error, queue.error].filter(Boolean).map((e) => html`<div class="error">${e}</div>`)}
    <section id="apps"><h2>Apps ${apps.data && html`<span class="muted">(${apps.data.apps.length})</span>`}</h2>
      ${!apps.data ? html`<p class="loading">Reading apps…</p>` : html`<table>
        <thead><tr><th>app</th><th>status</th><th class="num">running</th><th>health</th><th>resources</th><th></th></tr></thead>
        <tbody>${apps.data.apps.map((a) => html`<${AppRow} key=${a.id} app=${a} base=${base}
          status=${status(a, deploying, waiting)} onUnauthorized=${onUnauthorized} />`)}</tbody></table>`}
    </section>
    <${Deployments} list=${deployments.data || []} />
    <${Queue} entries=${(queue.data || {}).queue || []} />
    <${Deploy} base=${base} onUnauthorized=${onUnauthorized} />
  </div>`;
}

/** Marathon's statuses: Deploying, Suspended (scaled to 0), Delayed (backing off after failures), Waiting (for offers), Running. */
function status(app, deploying, waiting) {
  if (deploying.has(app.id)) return 'Deploying';
  if (app.instances === 0) return 'Suspended';
  const q = waiting.get(app.id);
  if (q && q.delay && !q.delay.overdue) return 'Delayed';
  if (q) return 'Waiting';
  return 'Running';
}

const STATUS_CLASS = { Running: 'ok', Deploying: 'warn', Suspended: '', Delayed: 'bad', Waiting: 'warn' };

function AppRow({ app, base, status, onUnauthorized }) {
  const [scale, setScale] = useState('');
  const [message, setMessage] = useState(null);
  const act = async (what, method, path, body) => {
    if (what === 'destroy' && !confirm(`Destroy ${app.id} and kill its ${app.tasksRunning} tasks?`)) return;
    try {
      await api(base + path, { method, body });
      setMessage(what + ' started');
    } catch (e) {
      if (e instanceof Unauthorized) { onUnauthorized(e.message); return; }
      setMessage(e.message);
    }
  };
  const id = encodeURI(app.id);
  const healthy = app.tasksHealthy || 0;
  const unhealthy = app.tasksUnhealthy || 0;
  return html`<tr class="app-row" data-app=${app.id}>
    <td><a href=${'#/tasks?q=' + encodeURIComponent(app.id)}>${app.id}</a>
      <div class="muted"><code>${app.cmd || (app.container && app.container.docker && app.container.docker.image) || ''}</code></div>
      ${message && html`<div class="reason">${message}</div>`}</td>
    <td><span class=${'state ' + STATUS_CLASS[status]}>${status}</span></td>
    <td class="num">${app.tasksRunning} / ${app.instances}</td>
    <td>${healthy + unhealthy > 0 ? html`<${Bar} used=${healthy} total=${app.instances || 1}
      label=${healthy + ' healthy' + (unhealthy ? ', ' + unhealthy + ' unhealthy' : '')} />` : html`<span class="muted">no checks</span>`}</td>
    <td><code>${app.cpus} cpus, ${app.mem} MiB</code></td>
    <td class="actions">
      <input class="scale" size="4" placeholder=${app.instances} value=${scale} onInput=${(e) => setScale(e.target.value)} />
      <button class="do-scale" onClick=${() => act('scale', 'PUT', '/v2/apps' + id, { instances: Number(scale) })}>scale</button>
      <button class="do-restart" onClick=${() => act('restart', 'POST', '/v2/apps' + id + '/restart')}>restart</button>
      <button class="do-destroy" onClick=${() => act('destroy', 'DELETE', '/v2/apps' + id)}>destroy</button>
    </td></tr>`;
}

function Deployments({ list }) {
  return html`<section id="deployments"><h2>Deployments in progress <span class="muted">(${list.length})</span></h2>
    ${list.length === 0 ? html`<p class="muted">none</p>` : html`<table>
      <thead><tr><th>deployment</th><th>apps</th><th>step</th><th>now</th></tr></thead>
      <tbody>${list.map((d) => html`<tr><td><code>${d.id}</code></td><td>${d.affectedApps.join(', ')}</td>
        <td>${d.currentStep} of ${d.totalSteps}</td>
        <td>${d.currentActions.map((a) => html`<div>${a.action} ${a.app}</div>`)}</td></tr>`)}</tbody></table>`}
  </section>`;
}

function Queue({ entries }) {
  return html`<section id="queue"><h2>Waiting to launch <span class="muted">(${entries.length})</span></h2>
    ${entries.length === 0 ? html`<p class="muted">nothing waits</p>` : html`<table>
      <thead><tr><th>app</th><th class="num">instances</th><th>why</th></tr></thead>
      <tbody>${entries.map((q) => html`<tr class="queue-row"><td>${q.app ? q.app.id : '?'}</td><td class="num">${q.count}</td>
        <td class="reason">${q.reason}${q.delay && !q.delay.overdue ? ` (next try in ${Math.ceil(q.delay.timeLeftSeconds)} s)` : ''}</td></tr>`)}
      </tbody></table>`}
  </section>`;
}

const FIELDS = [
  { key: 'id', label: 'id', placeholder: '/team/web' },
  { key: 'cmd', label: 'command', placeholder: 'python3 -m http.server $PORT0' },
  { key: 'instances', label: 'instances', placeholder: '1', number: true },
  { key: 'cpus', label: 'cpus', placeholder: '0.1', number: true },
  { key: 'mem', label: 'mem (MiB)', placeholder: '64', number: true },
];

/** Deploys an app from the form or from pasted Marathon JSON; a 422's field errors are shown on the fields. */
function Deploy({ base, onUnauthorized }) {
  const [form, setForm] = useState({});
  const [json, setJson] = useState('');
  const [errors, setErrors] = useState({ fields: {}, other: [], message: null });
  const [done, setDone] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    let body;
    if (json.trim()) {
      body = json;
    } else {
      body = {};
      for (const f of FIELDS) {
        const v = (form[f.key] || '').trim();
        if (v) body[f.key] = f.number && Number.isFinite(Number(v)) ? Number(v) : v;
      }
    }
    try {
      await api(base + '/v2/apps', { method: 'POST', body });
      setErrors({ fields: {}, other: [], message: null });
      setDone('deployment started');
      setForm({});
      setJson('');
    } catch (err) {
      if (err instanceof Unauthorized) { onUnauthorized(err.message); return; }
      const fields = {};
      const other = [];
      for (const fe of (err.body && err.body.errors) || []) {
        const key = String(fe.path || '').replace(/^\$\.?/, '').replace(/^\//, '');
        if (!json.trim() && FIELDS.some((f) => f.key === key)) fields[key] = fe.message; else other.push(fe);
      }
      setErrors({ fields, other, message: err.message });
      setDone(null);
    }
  };
  return html`<section id="deploy"><h2>Deploy an app</h2>
    <form onSubmit=${submit} class="deploy-form">
      <div class="fields">${FIELDS.map((f) => html`<label class=${errors.fields[f.key] ? 'field invalid' : 'field'}>
        <span>${f.label}</span>
        <input id=${'app-' + f.key} placeholder=${f.placeholder} value=${form[f.key] || ''}
          onInput=${(e) => setForm({ ...form, [f.key]: e.target.value })} />
        ${errors.fields[f.key] && html`<em class="field-error" id=${'error-' + f.key}>${errors.fields[f.key]}</em>`}
      </label>`)}</div>
      <p class="muted">…or paste or upload a Marathon app definition (JSON), which takes precedence:
        <input id="app-file" type="file" accept=".json,application/json"
          onChange=${async (e) => { const f = e.target.files[0]; if (f) setJson(await f.text()); }} /></p>
      <textarea id="app-json" rows="6" placeholder='{"id": "/web", "cmd": "...", "instances": 2, "cpus": 0.1, "mem": 64}'
        value=${json} onInput=${(e) => setJson(e.target.value)}></textarea>
      <div><button id="deploy-submit" type="submit">Deploy</button> ${done && html`<span class="muted">${done}</span>`}</div>
      ${errors.message && html`<div class="error" id="deploy-error">${errors.message}
        ${errors.other.length > 0 && html`<ul>${errors.other.map((fe) => html`<li><code>${fe.path}</code>: ${fe.message}</li>`)}</ul>`}</div>`}
    </form></section>`;
}
