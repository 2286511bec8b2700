import { httpCall } from '../../shared/client.js';
import type { AgentTransport, ConnectionState } from './agent-transport.js';
import { createListenerSet } from './listener-set.js';

/**
 * Calls go to `POST <baseUrl>/rpc/<method>`; events arrive over one shared `EventSource` on `/events`,
 * whose own retry handles reconnects. The connection state follows that stream.
 */
export function createHttpTransport(baseUrl: string): AgentTransport {
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
  source.onerror = () => setState('lost');
  source.onmessage = (message: MessageEvent<string>) => events.emit(parseEventData(message.data));

  return {
    kind: 'http',
    endpoint: baseUrl,
    call: (method, params) => httpCall(baseUrl, method, params),
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
