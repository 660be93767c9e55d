// The cluster at a glance: leader, agents, tasks by state, resources, roles and frameworks with
// their weighted DRF shares and what they wait for, and allocation over time.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';
import { query } from './api.js';
import { usePoll } from './poll.js';
import { amount, ago, Bar, percent, scalars, State } from './format.js';

const PAGE = 50;
const SHOWN = ['cpus', 'mem', 'disk', 'gpus'];

export function Overview({ onUnauthorized }) {
  const [offset, setOffset] = useState(0);
  const [agentText, setAgentText] = useState('');
  const { data, error } = usePoll('/api/v1/overview' + query({ offset, limit: PAGE, agent: agentText }), 2000, onUnauthorized);
  if (!data) return error ? html`<div class="error">${error}</div>` : html`<p class="loading">Reading the cluster…</p>`;
  const tasks = data.tasksByState || {};
  const live = Object.entries(tasks).filter(([s]) => ['STAGING', 'STARTING', 'RUNNING', 'KILLING'].includes(s))
      .reduce((n, [, c]) => n + c, 0);
  return html`<div id="overview">
    ${error && html`<div class="error">${error} (showing the last answer)</div>`}
    <div class="cards">
      <div class="card" id="card-leader"><h3>Leader</h3><div class="big">${data.leading ? 'leading' : 'standby'}</div>
        <div class="muted">${data.masterId} · ${data.endpoint} · epoch ${data.epoch}</div>
        <div class="muted">${data.recovered ? 'recovered' : 'recovering: waiting for agents to register again'}</div></div>
      <div class="card" id="card-agents"><h3>Agents</h3><div class="big">${data.agentsReachable}</div>
        <div class="muted">reachable${data.agentsUnreachable ? html`, <span class="reason">${data.agentsUnreachable} unreachable</span>` : ''}</div></div>
      <div class="card" id="card-tasks"><h3>Tasks</h3><div class="big">${live}</div>
        <div class="muted">${Object.entries(tasks).map(([s, c]) => html`<span><${State} state=${s} /> ${c} </span>`)}</div></div>
      <div class="card"><h3>Frameworks</h3><div class="big">${data.frameworks.length}</div>
        <div class="muted">${data.offers} offers outstanding</div></div>
    </div>
    <${Resources} rows=${data.resources} />
    <${History} data=${data} live=${live} />
    <${Leaders} leaders=${data.leaders || []} />
    <${Roles} roles=${data.roles} />
    <${Frameworks} frameworks=${data.frameworks} />
    <${Agents} page=${data.agents} offset=${offset} setOffset=${setOffset} text=${agentText} setText=${(t) => { setAgentText(t); setOffset(0); }} />
  </div>`;
}

function Resources({ rows }) {
  const names = SHOWN.filter((n) => rows[n]).concat(Object.keys(rows).filter((n) => !SHOWN.includes(n)));
  return html`<section id="resources"><h2>Resources</h2>
    <table><thead><tr><th>resource</th><th class="num">total</th><th class="num">allocated</th><th class="num">offered</th><th class="num">idle</th><th>allocated of total</th></tr></thead>
    <tbody>${names.map((n) => { const r = rows[n]; return html`<tr>
      <td>${n}</td><td class="num">${amount(n, r.total)}</td><td class="num">${amount(n, r.used)}</td>
      <td class="num">${amount(n, r.offered)}</td><td class="num">${amount(n, r.idle)}</td>
      <td><${Bar} used=${r.used} total=${r.total} label=${percent(r.total ? r.used / r.total : 0)} /></td></tr>`; })}
    </tbody></table></section>`;
}

/** The last hour as the master sampled it (every 10 s), and now: allocation, live tasks by state, offers. */
function History({ data, live }) {
  const box = useRef(null);
  const plot = useRef(null);
  const samples = (data.history || []).slice();
  const now = Date.now() / 1000;
  const cpus = data.resources.cpus || { total: 0, used: 0 };
  const states = data.tasksByState || {};
  samples.push({ at: now, cpusTotal: cpus.total, cpusAllocated: cpus.used, staging: (states.STAGING || 0) + (states.STARTING || 0),
    running: states.RUNNING || 0, killing: states.KILLING || 0, offers: data.offers });
  useEffect(() => {
    if (!box.current) return;
    const series = [samples.map((x) => x.at), samples.map((x) => x.cpusAllocated), samples.map((x) => x.cpusTotal),
      samples.map((x) => x.running), samples.map((x) => x.staging), samples.map((x) => x.killing), samples.map((x) => x.offers)];
    if (!plot.current) {
      plot.current = new uPlot({ width: Math.max(300, box.current.clientWidth - 10), height: 200,
        series: [{}, { label: 'cpus allocated', stroke: '#2f6f4f', width: 2 }, { label: 'cpus total', stroke: '#98a2b3', dash: [4, 4] },
          { label: 'running', stroke: '#1570ef', scale: 'n' }, { label: 'staging', stroke: '#b54708', scale: 'n' },
          { label: 'killing', stroke: '#b42318', scale: 'n' }, { label: 'offers', stroke: '#7a5af8', scale: 'n' }],
        axes: [{}, { label: 'cpus' }, { side: 1, scale: 'n', label: 'tasks, offers' }] }, series, box.current);
    } else {
      plot.current.setData(series);
    }
  });
  useEffect(() => () => plot.current && plot.current.destroy(), []);
  return html`<section id="history"><h2>The last hour <span class="muted">(sampled by the master every 10 s)</span></h2>
    <div class="chart" ref=${box}></div></section>`;
}

function Leaders({ leaders }) {
  return html`<section id="leaders"><h2>Leaders <span class="muted">(${leaders.length} terms kept)</span></h2>
    <table><thead><tr><th class="num">epoch</th><th>master</th><th>address</th><th>since</th></tr></thead>
    <tbody>${leaders.slice().reverse().map((l, i) => html`<tr><td class="num">${l.epoch}</td><td>${l.masterId}${i === 0
      ? html` <span class="state ok">leading</span>` : ''}</td><td><code>${l.endpoint}</code></td>
      <td class="muted">${new Date(l.since * 1000).toLocaleString()}</td></tr>`)}</tbody></table></section>`;
}

function Roles({ roles }) {
  return html`<section id="roles"><h2>Roles</h2>
    <table><thead><tr><th>role</th><th class="num">weight</th><th>guarantee</th><th>limit</th><th>dominant share</th><th>preemptible</th></tr></thead>
    <tbody>${roles.map((r) => html`<tr><td>${r.name}</td><td class="num">${r.weight}</td>
      <td>${r.guarantee || html`<span class="muted">none</span>`}</td><td>${r.limit || html`<span class="muted">none</span>`}</td>
      <td><${Bar} used=${r.share || 0} total=${1} label=${percent(r.share)} /></td><td>${r.preemptible ? 'yes' : 'no'}</td></tr>`)}
    </tbody></table></section>`;
}

function Frameworks({ frameworks }) {
  return html`<section id="frameworks"><h2>Frameworks</h2>
    <table><thead><tr><th>name</th><th>roles</th><th>state</th><th>share per role</th><th>allocated</th><th>waiting for</th></tr></thead>
    <tbody>${frameworks.map((f) => html`<tr>
      <td><a href=${'#/tasks?framework=' + encodeURIComponent(f.id)}>${f.name}</a><div class="muted"><code>${f.id}</code></div></td>
      <td>${f.roles.join(', ')}</td>
      <td><span class=${'state ' + (f.connected ? 'ok' : 'warn')}>${f.connected ? 'connected' : 'disconnected'}</span></td>
      <td>${Object.entries(f.shares).map(([role, share]) => html`<div>${role}: ${percent(share)}</div>`)}</td>
      <td>${Object.entries(f.allocated).map(([role, r]) => html`<div><code>${r || '–'}</code></div>`)}</td>
      <td>${waiting(f)}</td></tr>`)}
    </tbody></table></section>`;
}

function waiting(f) {
  const reasons = Object.values(f.reasons || {}).flat();
  const demands = (f.demands || []).filter((d) => d.waitingSeconds > 0);
  if (!reasons.length && !demands.length) return html`<span class="muted">nothing</span>`;
  return html`${demands.map((d) => html`<div class="reason">${d.count} × <code>${d.resources}</code>${d.gang ? ' (gang)' : ''}
      for ${Math.round(d.waitingSeconds)} s${d.reason ? ': ' + d.reason : ''}</div>`)}
    ${reasons.map((r) => html`<div class="reason">${r}</div>`)}`;
}

function Agents({ page, offset, setOffset, text, setText }) {
  return html`<section id="agents"><h2>Agents <span class="muted">(${page.total})</span></h2>
    <div class="filters"><input id="agent-filter" placeholder="id or hostname" value=${text} onInput=${(e) => setText(e.target.value)} /></div>
    <table><thead><tr><th>agent</th><th>state</th>${SHOWN.map((n) => html`<th>${n}</th>`)}<th>registered</th></tr></thead>
    <tbody>${page.items.map((a) => { const total = scalars(a.total); const used = scalars(a.used); return html`<tr class="agent-row">
      <td><a href=${'#/tasks?agent=' + encodeURIComponent(a.id)}>${a.hostname}</a><div class="muted"><code>${a.id}</code></div></td>
      <td><span class=${'state ' + (a.reachable ? 'ok' : 'bad')}>${a.reachable ? 'reachable' : 'unreachable'}</span></td>
      ${SHOWN.map((n) => html`<td>${total[n] ? html`<${Bar} used=${used[n] || 0} total=${total[n]}
        label=${amount(n, used[n] || 0) + ' / ' + amount(n, total[n])} />` : html`<span class="muted">–</span>`}</td>`)}
      <td class="muted">${ago(a.registeredAt)}</td></tr>`; })}
    </tbody></table>
    <div class="pager"><button disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>previous</button>
      <span class="muted">${page.total ? (page.offset + 1) + '–' + (page.offset + page.items.length) + ' of ' + page.total : 'none'}</span>
      <button disabled=${offset + PAGE >= page.total} onClick=${() => setOffset(offset + PAGE)}>next</button></div>
  </section>`;
}
