// Spark applications, Storm and Hadoop YARN clusters on Trellis: each engine's framework with its
// executors, supervisors or NodeManagers (its tasks), linked to the engine's own UI where it runs one.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { query } from './api.js';
import { usePoll } from './poll.js';
import { percent, State } from './format.js';

const ENGINES = [
  { key: 'spark', title: 'Spark applications', workers: 'executors', match: (n) => n.startsWith('spark') },
  { key: 'storm', title: 'Storm clusters', workers: 'supervisors', match: (n) => n.startsWith('storm') },
  { key: 'hadoop', title: 'Hadoop YARN clusters', workers: 'NodeManagers', match: (n) => n.startsWith('hadoop') },
];

export function BigData({ onUnauthorized }) {
  const { data, error } = usePoll('/api/v1/overview?limit=0', 3000, onUnauthorized);
  if (!data) return error ? html`<div class="error">${error}</div>` : html`<p class="loading">Reading frameworks…</p>`;
  return html`<div id="bigdata">${ENGINES.map((e) => {
    const frameworks = data.frameworks.filter((f) => e.match(f.name));
    return html`<section id=${'engine-' + e.key}><h2>${e.title} <span class="muted">(${frameworks.length})</span></h2>
      ${frameworks.length === 0 ? html`<p class="muted">none running on this cluster</p>`
        : frameworks.map((f) => html`<${Engine} framework=${f} workers=${e.workers} onUnauthorized=${onUnauthorized} />`)}
    </section>`;
  })}</div>`;
}

function Engine({ framework, workers, onUnauthorized }) {
  const [open, setOpen] = useState(false);
  const live = usePoll('/api/v1/tasks' + query({ framework: framework.id, limit: open ? 200 : 1 }), 3000, onUnauthorized);
  const shares = Object.entries(framework.shares).map(([role, s]) => `${role} ${percent(s)}`).join(', ');
  const waiting = (framework.demands || []).filter((d) => d.waitingSeconds > 0);
  return html`<div class="card engine" data-framework=${framework.id}>
    <div><strong>${framework.name}</strong> <span class=${'state ' + (framework.connected ? 'ok' : 'warn')}>
      ${framework.connected ? 'connected' : 'disconnected'}</span>
      ${framework.webuiUrl && html` <a href=${framework.webuiUrl} target="_blank" rel="noopener noreferrer">its own UI ↗</a>`}</div>
    <div class="muted">share ${shares || '–'}; ${live.data ? live.data.total : '…'} ${workers} (tasks, live and recent)
      ${waiting.length > 0 ? html`; <span class="reason">waiting for ${waiting.map((d) => d.count + ' × ' + d.resources).join(', ')}</span>` : ''}</div>
    <button class="toggle" onClick=${() => setOpen(!open)}>${open ? 'hide' : 'show'} ${workers}</button>
    ${open && live.data && html`<table><thead><tr><th>task</th><th>state</th><th>agent</th><th>resources</th></tr></thead>
      <tbody>${live.data.items.map((t) => html`<tr><td><a href=${'#/tasks?q=' + encodeURIComponent(t.id)}>${t.name || t.id}</a></td>
        <td><${State} state=${t.state} /></td><td><code>${t.agentId}</code></td><td><code>${t.resources}</code></td></tr>`)}</tbody></table>`}
  </div>`;
}
