import { FleetdeckClient, httpCall } from '../../shared/client.js';

/**
 * A typed client for the HTTP API at `url` (an agent's base URL). It calls methods only: its subscribe delivers
 * nothing, since tests that watch events read the SSE stream itself (sse.ts).
 */
export function clientFor(url: string): FleetdeckClient {
  return new FleetdeckClient({ call: (method, params) => httpCall(url, method, params), subscribe: () => () => {} });
}
