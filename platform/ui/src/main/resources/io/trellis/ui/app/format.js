// Resource lists as the API writes them ("cpus:2;mem:2048;ports:[31000-32000]") and small formatters.
import { html } from './html.js';

/** {name: number} of the scalar resources in {@code text}; reserved amounts ("cpus(spark):1") count under their name. */
export function scalars(text) {
  const out = {};
  for (const part of (text || '').split(';')) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const name = part.slice(0, i).replace(/\(.*\)$/, '');
    const value = Number(part.slice(i + 1));
    if (Number.isFinite(value)) out[name] = (out[name] || 0) + value;
  }
  return out;
}

export function amount(name, value) {
  if (value === undefined || value === null) return '–';
  if (name === 'mem' || name === 'disk') return value >= 1024 ? (value / 1024).toFixed(1) + ' GiB' : Math.round(value) + ' MiB';
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function percent(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : (x * 100).toFixed(1) + '%';
}

/** A horizontal bar: {@code used} of {@code total}, labelled. */
export function Bar({ used, total, label }) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  return html`<div class="bar" title=${label}><span style=${{ width: (share * 100).toFixed(1) + '%' }}></span><em>${label}</em></div>`;
}

export function State({ state }) {
  return html`<span class=${'state ' + state}>${String(state).toLowerCase()}</span>`;
}

export function ago(seconds) {
  if (!seconds) return '–';
  const d = Date.now() / 1000 - seconds;
  if (d < 90) return Math.round(d) + ' s ago';
  if (d < 5400) return Math.round(d / 60) + ' min ago';
  return Math.round(d / 3600) + ' h ago';
}
