import { onBehalfOfHeader } from '../../shared/rpc/caller.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SessionLogin, type SessionStatus } from '../../shared/auth.js';
import { contentSecurityPolicy } from '../../shared/csp.js';
import type { AgentEvent } from '../../shared/events.js';
import { rpcErrorStatus, type RpcError } from '../../shared/rpc.js';
import type { AgentState, ClusterStatus, Member, NodeStatus } from '../../shared/node.js';
import type { Logger } from '../core/logger.js';
import type { AgentMetrics } from '../metrics/agent-metrics.js';
import type { Identity } from '../auth/authenticator.js';
import { callerOf, sessionCookieName, type HttpAuth } from '../auth/http-auth.js';
import { allowedHosts, localUrl, originAllowed, type ApiProtocol } from './allowed-hosts.js';
import { readApiTls, type ApiTlsConfig } from './tls-files.js';
import type { Dispatcher } from './dispatcher.js';
import type { EventBus } from './event-bus.js';

/** What the server serves: an agent, or the holder that follows the agent across a backend switch. */
export interface ServedAgent {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly metrics: AgentMetrics;
  readonly state: AgentState;
  nodeStatus(): NodeStatus;
  members(): Member[];
  clusterStatus(): ClusterStatus;
}

export interface HttpServerOptions {
  /** The agent, or the AgentHolder runAgent passes so that requests and streams follow a backend switch. */
  agent: ServedAgent;
  host: string;
  port: number;
  extraAllowedHosts: readonly string[];
  /** Built renderer to serve at `/`; null serves the API only. */
  rendererDir: string | null;
  logger: Logger;
  /** Seconds between SSE keep-alive comments, so proxies do not drop idle streams. */
  sseHeartbeatSeconds?: number;
  /** Serve HTTPS with these files (read here, so a bad one stops start-up naming it); with `clientCaFile`, mTLS. */
  tls?: ApiTlsConfig;
  /** Authentication of `/rpc/*`, `/events` and `/metrics`; absent, every caller is let in without a scope. */
  auth?: HttpAuth;
}

export interface HttpServer {
  readonly url: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

const sendError = (reply: FastifyReply, error: RpcError) => reply.code(rpcErrorStatus[error.code]).send({ error });

/** What needs a token when the API needs one; health probes and the UI's static files reveal nothing and stay open. */
const isProtected = (url: string): boolean => {
  const path = url.split('?')[0]!;
  return path.startsWith('/rpc/') || path === '/events' || path === '/metrics';
};

/** The agent's HTTP face: RPC, SSE events, health, Prometheus metrics and the built UI. Loopback by default. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { agent, logger } = options;
  const tls = options.tls ? readApiTls(options.tls) : null;
  // With a client CA the TLS handshake itself refuses a caller without a certificate it signed.
  const https = tls && { ...tls, requestCert: tls.ca !== undefined, rejectUnauthorized: tls.ca !== undefined };
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, https });
  const protocol: ApiProtocol = tls ? 'https:' : 'http:';
  const streams = new Set<ServerResponse>();
  let allowed = new Set<string>();
  const { auth } = options;
  /** Who each authenticated request is from (null: no token needed and none sent). */
  const identities = new WeakMap<FastifyRequest, Identity | null>();
  const identityOf = (request: FastifyRequest) => identities.get(request) ?? null;

  // Host and Origin are checked before anything else: a page on another site, or one that rebinds a name
  // to 127.0.0.1, must not be able to drive the API.
  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowed.has(host)) {
      return sendError(reply, { code: 'forbidden', message: `host "${host}" is not served here` });
    }
    if (!originAllowed(request.headers.origin, allowed, protocol)) {
      return sendError(reply, {
        code: 'forbidden',
        message: `cross-origin request from ${request.headers.origin} refused`,
      });
    }
    if (!auth || !isProtected(request.url)) return;
    const outcome = auth.check({
      authorization: request.headers.authorization,
      cookie: request.headers.cookie,
      remote: request.ip,
    });
    if (!outcome.ok) {
      if (outcome.retryAfterSeconds) reply.header('retry-after', String(outcome.retryAfterSeconds));
      if (outcome.error.code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="fleetdeck"');
      return sendError(reply, outcome.error);
    }
    identities.set(request, outcome.identity);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(securityHeaders);
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', contentSecurityPolicy);
    }
    return payload;
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, { code: 'invalid_request', message: error.message });
    }
    const errorId = randomUUID();
    logger.error({ err: error, errorId }, 'http request failed');
    return sendError(reply, { code: 'internal', message: `internal error (id ${errorId})`, errorId });
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.post<{ Params: { method: string } }>('/rpc/:method', async (request, reply) => {
    const outcome = await agent.dispatcher.call(request.params.method, request.body, {
      transport: 'http',
      remote: request.ip,
      ...callerOf(identityOf(request), request.headers[onBehalfOfHeader]),
    });
    return outcome.ok ? reply.send(outcome.result) : sendError(reply, outcome.error);
  });

  if (auth) registerSessionRoutes(app, auth);

  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_request, reply) => {
    const ready = agent.state === 'ready';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', state: agent.state });
  });

  app.get('/metrics', async (_request, reply) => {
    agent.metrics.eventSubscribers.set(agent.events.subscriberCount);
    const body = await agent.metrics.registry.metrics();
    return reply.type(agent.metrics.registry.contentType).send(body);
  });

  app.get('/events', (request, reply) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      ...securityHeaders,
    });
    const send = (event: AgentEvent) => stream.write(`data: ${JSON.stringify(event)}\n\n`);
    stream.write('retry: 2000\n\n');
    // A new subscriber first gets the current picture, then changes.
    send({ type: 'agent.state', data: { state: agent.state } });
    send({ type: 'node.status', data: agent.nodeStatus() });
    send({ type: 'cluster.members', data: agent.members() });
    send({ type: 'cluster.status', data: agent.clusterStatus() });
    const unsubscribe = agent.events.subscribe(send);
    const identity = identityOf(request);
    // A stream opened with a token that is revoked since ends at the next heartbeat.
    const heartbeat = setInterval(
      () => {
        if (identity && auth && !auth.stillValid(identity)) stream.end();
        else stream.write(': keep-alive\n\n');
      },
      (options.sseHeartbeatSeconds ?? 15) * 1000,
    );
    streams.add(stream);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(stream);
    });
  });

  if (options.rendererDir && existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'], wildcard: true });
  }

  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  allowed = allowedHosts(options.host, port, options.extraAllowedHosts);
  const url = localUrl(options.host, port, protocol);
  logger.info({ url }, 'api listening');
  return { url, close: () => app.close() };
}

/**
 * The browser UI's login: `POST /auth/session` trades a token for an HttpOnly, SameSite=Strict cookie (Secure over
 * TLS) that authenticates RPC and the event stream; the Host/Origin checks keep other sites from riding on it.
 * `GET` says whether a token is needed and who the caller is; `DELETE` logs out.
 */
function registerSessionRoutes(app: FastifyInstance, auth: HttpAuth): void {
  const status = (identity: Identity | null): SessionStatus => ({
    required: auth.required,
    principal: identity?.principal ?? null,
    scope: identity?.scope ?? null,
  });
  const cookie = (request: FastifyRequest, value: string, extra = '') =>
    `${sessionCookieName}=${value}; Path=/; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}${extra}`;

  app.get('/auth/session', async (request) => {
    const outcome = auth.check({
      authorization: request.headers.authorization,
      cookie: request.headers.cookie,
      remote: request.ip,
    });
    return status(outcome.ok ? outcome.identity : null);
  });
  app.post('/auth/session', async (request, reply) => {
    const body = SessionLogin.safeParse(request.body);
    if (!body.success) return sendError(reply, { code: 'invalid_request', message: 'expected {"token": "<token>"}' });
    const outcome = auth.login(body.data.token, request.ip);
    if (!outcome.ok) {
      if (outcome.retryAfterSeconds) reply.header('retry-after', String(outcome.retryAfterSeconds));
      return sendError(reply, outcome.error);
    }
    return reply.header('set-cookie', cookie(request, outcome.sessionId)).send(status(outcome.identity));
  });
  app.delete('/auth/session', async (request, reply) => {
    auth.logout(request.headers.cookie);
    return reply
      .header('set-cookie', cookie(request, '', '; Max-Age=0'))
      .code(204)
      .send();
  });
}
