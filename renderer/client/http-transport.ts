import { httpCall } from '../../shared/client.js';
import type { AgentTransport, ConnectionState } from './agent-transport.js';
import { createListenerSet } from './listener-set.js';
import { mustLogIn, sessionStatus } from './session.js';

/**
 * Calls go to `POST <baseUrl>/rpc/<method>`; events arrive over one shared `EventSource` on `/events`,
 * whose own retry handles reconnects. The connection state follows that stream. `onSessionLost` is told when the
 * agent needs a token and this browser's session is gone (a call answered 401, or the stream ended and the
 * session with it).
 */
export function createHttpTransport(baseUrl: string, onSessionLost: () => void = () => {}): AgentTransport {
  const events = createListenerSet<unknown>();
  const connection = createListenerSet<ConnectionState>();
  let state: ConnectionState = 'connecting';
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    connection.emit(next);
  };

  const source = new EventSource(`${baseUrl.replace(/\/$/, '')}/events`);
  source.onopen = () => setState('live');
  source.onerror = () => {
    setState('lost');
    void sessionStatus(baseUrl).then((status) => {
      if (mustLogIn(status)) onSessionLost();
    });
  };
  source.onmessage = (message: MessageEvent<string>) => events.emit(parseEventData(message.data));

  return {
    kind: 'http',
    membersOnConnect: true,
    endpoint: baseUrl,
    call: async (method, params) => {
      const outcome = await httpCall(baseUrl, method, params);
      if (!outcome.ok && outcome.error.code === 'unauthorized') onSessionLost();
      return outcome;
    },
    subscribe: (listener) => events.add(listener),
    watchConnection(listener) {
      listener(state);
      return connection.add(listener);
    },
  };
}

/** Malformed JSON is passed on as the raw text so the client reports it as an invalid event. */
function parseEventData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
