// What changes in the cluster, live: the master's Server-Sent Events (read with fetch, so the
// token goes in a header and never in an address), with a warnings-only filter.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { token } from './api.js';

const KEPT = 500;

export function Events({ onUnauthorized }) {
  const [events, setEvents] = useState([]);
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [status, setStatus] = useState('connecting');
  useEffect(() => {
    let stopped = false;
    let last = 0;
    let controller = null;
    let timer = null;
    const connect = async () => {
      controller = new AbortController();
      try {
        const response = await fetch('/api/v1/events?since=' + last, { signal: controller.signal,
          headers: token() ? { Authorization: 'Bearer ' + token() } : {} });
        if (response.status === 401) { onUnauthorized('sign in with a token'); return; }
        if (!response.ok) throw new Error('the events stream answered ' + response.status);
        setStatus('live');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (!data) continue;
            const e = JSON.parse(data);
            last = Math.max(last, e.seq);
            setEvents((list) => [e, ...list].slice(0, KEPT));
          }
        }
      } catch (e) {
        if (stopped) return;
        setStatus('reconnecting (' + e.message + ')');
      }
      if (!stopped) timer = setTimeout(connect, 2000);
    };
    connect();
    return () => { stopped = true; clearTimeout(timer); if (controller) controller.abort(); };
  }, []);
  const shown = warningsOnly ? events.filter((e) => e.level === 'warning') : events;
  return html`<section id="events"><h2>Events <span class="muted">(${status})</span></h2>
    <div class="filters"><label><input id="warnings-only" type="checkbox" checked=${warningsOnly}
      onChange=${(e) => setWarningsOnly(e.target.checked)} /> warnings only</label></div>
    <table><thead><tr><th>when</th><th>what</th><th>event</th></tr></thead>
    <tbody>${shown.map((e) => html`<tr class=${'event-row ' + e.level}>
      <td class="muted">${new Date(e.at * 1000).toLocaleTimeString()}</td><td>${e.type}</td>
      <td class=${e.level === 'warning' ? 'reason' : ''}>${e.message}</td></tr>`)}</tbody></table>
    ${shown.length === 0 && html`<p class="muted">nothing yet</p>`}
  </section>`;
}
