// Tasks, filtered and paged on the master: by framework, role, state, agent and text.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, query } from './api.js';
import { usePoll } from './poll.js';
import { State } from './format.js';

const PAGE = 100;
const STATES = ['STAGING', 'STARTING', 'RUNNING', 'KILLING', 'FINISHED', 'FAILED', 'KILLED', 'ERROR', 'UNREACHABLE',
  'LOST', 'GONE'];

/** The filters given in the address (#/tasks?framework=...), so that links from other views land filtered. */
function initial() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  return { framework: q.get('framework') || '', role: q.get('role') || '', state: q.get('state') || '',
    agent: q.get('agent') || '', q: q.get('q') || '' };
}

export function Tasks({ onUnauthorized }) {
  const [filter, setFilter] = useState(initial);
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState(null);
  const { data, error } = usePoll('/api/v1/tasks' + query({ ...filter, offset, limit: PAGE }), 2000, onUnauthorized);
  const set = (key) => (e) => { setFilter({ ...filter, [key]: e.target.value }); setOffset(0); };
  return html`<section id="tasks"><h2>Tasks ${data && html`<span class="muted">(${data.total})</span>`}</h2>
    <div class="filters">
      <input id="filter-q" placeholder="task id or name" value=${filter.q} onInput=${set('q')} />
      <input id="filter-framework" placeholder="framework id" value=${filter.framework} onInput=${set('framework')} />
      <input id="filter-role" placeholder="role" value=${filter.role} onInput=${set('role')} />
      <input id="filter-agent" placeholder="agent id" value=${filter.agent} onInput=${set('agent')} />
      <select id="filter-state" value=${filter.state} onChange=${set('state')}>
        <option value="">any state</option>${STATES.map((s) => html`<option value=${s}>${s.toLowerCase()}</option>`)}
      </select>
    </div>
    ${error && html`<div class="error">${error}</div>`}
    ${!data ? html`<p class="loading">Reading tasks…</p>` : html`
    <table><thead><tr><th>task</th><th>state</th><th>role</th><th>agent</th><th>resources</th><th>last message</th></tr></thead>
    <tbody>${data.items.map((t) => html`<tr class="task-row">
      <td><a href="javascript:void 0" onClick=${() => setOpen(open === t.id ? null : t.id)}>${t.name || t.id}</a>
        <div class="muted"><code>${t.id}</code></div>
        ${open === t.id && html`<${Details} task=${t} />`}</td>
      <td><${State} state=${t.state} />${t.healthy === false ? html` <span class="state bad">unhealthy</span>` : ''}</td>
      <td>${t.role}</td><td><code>${t.agentId}</code></td><td><code>${t.resources}</code></td>
      <td class="muted">${t.reason ? html`<span class="reason">${t.reason}</span> ` : ''}${t.message || ''}</td></tr>`)}
    </tbody></table>
    <div class="pager"><button disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>previous</button>
      <span class="muted">${data.total ? (data.offset + 1) + '–' + (data.offset + data.items.length) + ' of ' + data.total : 'no task matches'}</span>
      <button disabled=${offset + PAGE >= data.total} onClick=${() => setOffset(offset + PAGE)}>next</button></div>`}
  </section>`;
}

function Details({ task }) {
  const [file, setFile] = useState('stdout');
  return html`<div class="card task-details">
    <div>framework <code>${task.frameworkId}</code></div>
    ${task.exitCode !== null && task.exitCode !== undefined && html`<div>exit code ${task.exitCode}</div>`}
    ${Object.keys(task.labels || {}).length > 0 && html`<div>labels ${Object.entries(task.labels).map(([k, v]) => html`<code>${k}=${v}</code> `)}</div>`}
    <div class="tabs">${['stdout', 'stderr'].map((f) => html`<button class=${f === file ? 'active' : ''} id=${'file-' + f}
      onClick=${() => setFile(f)}>${f}</button>`)}</div>
    <${Tail} key=${file} task=${task} file=${file} />
    <${Files} task=${task} current=${file} onPick=${setFile} />
  </div>`;
}

/** The task's sandbox, as its agent lists it: a file opens in the tail above. */
function Files({ task, current, onPick }) {
  const [files, setFiles] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api(`/api/v1/frameworks/${encodeURIComponent(task.frameworkId)}/tasks/${encodeURIComponent(task.id)}/files/browse`)
      .then(setFiles, (e) => setError(e.message));
  }, [task.id]);
  if (error) return html`<div class="muted">sandbox: ${error}</div>`;
  if (!files) return html`<div class="muted">listing the sandbox…</div>`;
  return html`<details class="sandbox-files"><summary>sandbox (${files.length} entries)</summary>
    <table><tbody>${files.map((f) => html`<tr class="sandbox-file">
      <td>${f.directory || f.link ? html`<code>${f.path}${f.directory ? '/' : ' (link)'}</code>`
        : html`<a href="javascript:void 0" class=${f.path === current ? 'active' : ''} onClick=${() => onPick(f.path)}><code>${f.path}</code></a>`}</td>
      <td class="num muted">${f.directory ? '' : f.size + ' B'}</td></tr>`)}</tbody></table></details>`;
}

const TAIL = 16384;

/** The end of a sandbox file, followed while the task page is open (read through the master from the task's agent). */
function Tail({ task, file }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  useEffect(() => {
    let stopped = false;
    let timer = null;
    let next = -TAIL;
    const base = `/api/v1/frameworks/${encodeURIComponent(task.frameworkId)}/tasks/${encodeURIComponent(task.id)}/files/read`;
    const read = async () => {
      try {
        const r = await api(base + query({ file, offset: next, length: TAIL }));
        if (stopped) return;
        const data = r.data || '';
        next = r.offset + new TextEncoder().encode(data).length;
        if (data) setText((t) => (t + data).slice(-4 * TAIL));
        setError(null);
      } catch (e) {
        if (!stopped) setError(e.message);
      }
      if (!stopped) timer = setTimeout(read, 1000);
    };
    read();
    return () => { stopped = true; clearTimeout(timer); };
  }, [task.id, file]);
  return html`<div>
    ${error && html`<div class="error">${error}</div>`}
    <pre class="tail" id=${'tail-' + file}>${text || html`<span class="muted">(empty so far)</span>`}</pre>
  </div>`;
}
