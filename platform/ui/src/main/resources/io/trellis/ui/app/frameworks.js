// The services and jobs frameworks' own APIs, reached through the master (/proxy/<framework id>/...).
import { useEffect, useState } from 'preact/hooks';
import { api, Unauthorized } from './api.js';

/** The proxy base of the subscribed framework called {@code name} (null while unknown), and why it is missing. */
export function useFrameworkBase(name, onUnauthorized) {
  const [found, setFound] = useState({ base: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer = null;
    const look = async () => {
      try {
        const o = await api('/api/v1/overview?limit=0');
        const f = o.frameworks.find((x) => x.name === name && x.webuiUrl);
        if (!stopped) setFound(f ? { base: '/proxy/' + encodeURIComponent(f.id), error: null }
          : { base: null, error: `no ${name} framework is subscribed to this master` });
      } catch (e) {
        if (e instanceof Unauthorized) { onUnauthorized(e.message); return; }
        if (!stopped) setFound({ base: null, error: e.message });
      }
      if (!stopped) timer = setTimeout(look, 10000);
    };
    look();
    return () => { stopped = true; clearTimeout(timer); };
  }, [name]);
  return found;
}
