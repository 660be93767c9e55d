// The Trellis web UI: one page, a route per view (#/overview, #/tasks), sign-in with a token.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { signIn, signOut, token } from './api.js';
import { Overview } from './overview.js';
import { Tasks } from './tasks.js';
import { Services } from './services.js';
import { Jobs } from './jobs.js';
import { Events } from './events.js';
import { BigData } from './bigdata.js';

const VIEWS = {
  overview: { title: 'Overview', view: Overview },
  tasks: { title: 'Tasks', view: Tasks },
  services: { title: 'Services', view: Services },
  jobs: { title: 'Jobs', view: Jobs },
  bigdata: { title: 'Spark, Storm, Hadoop', view: BigData },
  events: { title: 'Events', view: Events },
};

function route() {
  const name = (location.hash.replace(/^#\/?/, '').split('?')[0] || 'overview');
  return VIEWS[name] ? name : 'overview';
}

function SignIn({ message, onSignedIn }) {
  const [value, setValue] = useState('');
  const submit = (e) => {
    e.preventDefault();
    if (!value.trim()) return;
    signIn(value);
    onSignedIn();
  };
  return html`<div class="login card">
    <h2>Sign in to Trellis</h2>
    <p class="muted">Paste an API token. <code>trellis local</code> prints where the admin token is
      (<code>&lt;data dir&gt;/security/admin.token</code>); <code>trellis security token</code> makes others.</p>
    ${message && html`<div class="error" id="signin-error">${message}</div>`}
    <form onSubmit=${submit}>
      <input id="token" type="password" autocomplete="off" placeholder="token" value=${value}
        onInput=${(e) => setValue(e.target.value)} />
      <button id="signin" type="submit">Sign in</button>
    </form>
  </div>`;
}

function App() {
  const [name, setName] = useState(route());
  const [refused, setRefused] = useState(null);
  const [, setSignedIn] = useState(!!token());
  useEffect(() => {
    const onHash = () => setName(route());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (refused !== null) {
    return html`<${SignIn} message=${refused} onSignedIn=${() => { setRefused(null); setSignedIn(true); }} />`;
  }
  const View = VIEWS[name].view;
  const onUnauthorized = (message) => setRefused(token() ? 'That token was refused: ' + message : '');
  return html`<div>
    <header>
      <span class="brand">Trellis</span>
      <nav>${Object.entries(VIEWS).map(([key, v]) =>
        html`<a href=${'#/' + key} class=${key === name ? 'active' : ''} id=${'nav-' + key}>${v.title}</a>`)}</nav>
      <span class="who">${token() ? html`<button id="signout" onClick=${() => { signOut(); setRefused(''); }}>Sign out</button>` : ''}</span>
    </header>
    <main><${View} onUnauthorized=${onUnauthorized} /></main>
  </div>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
