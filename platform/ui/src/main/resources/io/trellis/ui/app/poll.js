// Reads an API path now and every few seconds while the view is shown.
import { useEffect, useState } from 'preact/hooks';
import { api, Unauthorized } from './api.js';

/** {data, error} of GET {@code path}, read again every {@code every} ms and whenever {@code path} changes (null: nothing read). */
export function usePoll(path, every, onUnauthorized) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    if (!path) return undefined;
    let stopped = false;
    let timer = null;
    const read = async () => {
      try {
        const data = await api(path);
        if (!stopped) setState({ data, error: null });
      } catch (e) {
        if (stopped) return;
        if (e instanceof Unauthorized) { onUnauthorized(e.message); return; }
        setState((s) => ({ data: s.data, error: e.message }));
      }
      if (!stopped) timer = setTimeout(read, every);
    };
    read();
    return () => { stopped = true; clearTimeout(timer); };
  }, [path]);
  return state;
}
