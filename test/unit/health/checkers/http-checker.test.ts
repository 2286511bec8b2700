import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedByConfig } from '../../../../electron/core/read-bounded-file.js';
import { checkHttp, MAX_BODY_BYTES } from '../../../../electron/health/checkers/http-checker.js';
import { runCheck } from '../../../../electron/health/checkers/run-check.js';
import { HttpCheck } from '../../../../shared/services.js';
import { checkContext, close, listen, startTcpServer, type TcpServer } from './check-context.js';

interface Received {
  method: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let connections = 0;
const received: Received[] = [];
/** Resolves when the client gives up on /slow (the checker aborted its request). */
let slowClosed: Promise<void> = Promise.resolve();

const readAll = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/ok') return response.end('{"status": "ok", "version": "1.2.3"}');
    if (url.pathname === '/status') {
      response.statusCode = Number(url.searchParams.get('code'));
      return response.end();
    }
    if (url.pathname === '/slow') {
      // Never answers: the checker must give up and close the request.
      slowClosed = once(response, 'close').then(() => undefined);
      return;
    }
    if (url.pathname === '/big') {
      // The marker sits after the first MiB, where a body regex must not look.
      response.write(Buffer.alloc(MAX_BODY_BYTES, 'a'));
      return response.end('MARKER');
    }
    if (url.pathname === '/echo') {
      void readAll(request).then((body) => {
        received.push({ method: request.method, headers: request.headers, body });
        response.statusCode = 201;
        response.end('created');
      });
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  server.on('connection', () => connections++);
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  await close(server);
});

const check = (fields: Record<string, unknown>) => HttpCheck.parse({ name: 'web', type: 'http', ...fields });
const run = (fields: Record<string, unknown>) => {
  const definition = check(fields);
  return checkHttp(definition, checkContext(definition.timeoutMs));
};

describe('http checker', () => {
  it('passes on 200 and reports the status and time', async () => {
    const result = await run({ url: `${base}/ok` });
    expect(result.status).toBe('passing');
    expect(result.output).toMatch(/^HTTP 200 in \d+ ms$/);
  });

  it('is critical on 500, naming what was expected', async () => {
    expect(await run({ url: `${base}/status?code=500` })).toEqual({
      status: 'critical',
      output: 'HTTP 500 (expected 2xx)',
    });
  });

  it('accepts the codes and classes in expectStatus', async () => {
    const expectStatus = [301, '4xx'];
    expect((await run({ url: `${base}/status?code=301`, expectStatus })).status).toBe('passing');
    expect((await run({ url: `${base}/status?code=404`, expectStatus })).status).toBe('passing');
    expect((await run({ url: `${base}/status?code=429`, expectStatus })).status).toBe('passing');
    expect(await run({ url: `${base}/status?code=302`, expectStatus })).toEqual({
      status: 'critical',
      output: 'HTTP 302 (expected 301, 4xx)',
    });
    expect((await run({ url: `${base}/ok`, expectStatus })).status).toBe('critical');
  });

  it('matches the body against bodyRegex (RE2 syntax)', async () => {
    expect((await run({ url: `${base}/ok`, bodyRegex: '"status":\\s*"ok"' })).status).toBe('passing');
    const mismatch = await run({ url: `${base}/ok`, bodyRegex: '"status":\\s*"down"' });
    expect(mismatch.status).toBe('critical');
    expect(mismatch.output).toMatch(
      /^HTTP 200 in \d+ ms, but the body does not match "\\"status\\":\\\\s\*\\"down\\""$/,
    );
  });

  it('reports an invalid bodyRegex as unknown without sending a request', async () => {
    const before = received.length;
    const result = await run({ url: `${base}/echo`, method: 'POST', bodyRegex: '(?=lookahead)' });
    expect(result.status).toBe('unknown');
    expect(result.output).toMatch(/^invalid bodyRegex "\(\?=lookahead\)": look-ahead `\(\?=…\)` is not supported: /);
    expect(received.length).toBe(before);
  });

  it('refuses a malformed header in the definition, and reports one that gets past it as unknown', async () => {
    expect(() => check({ url: `${base}/ok`, headers: { 'X-Bad': 'line\nbreak' } })).toThrow(
      /must not contain line breaks/,
    );
    expect(() => check({ url: `${base}/ok`, headers: { 'bad name': 'x' } })).toThrow(
      /must be a valid HTTP header name/,
    );
    // The checker does not rely on the schema alone: a definition built without it still cannot inject headers.
    const unchecked = { ...check({ url: `${base}/ok` }), headers: { 'X-Bad': 'line\nbreak' } };
    expect(await checkHttp(unchecked, checkContext(unchecked.timeoutMs))).toEqual({
      status: 'unknown',
      output: 'invalid header: Invalid character in header content ["X-Bad"]',
    });
  });

  it('reads at most 1 MiB of the body', async () => {
    expect((await run({ url: `${base}/big`, bodyRegex: '^a+' })).status).toBe('passing');
    const result = await run({ url: `${base}/big`, bodyRegex: 'MARKER' });
    expect(result.status).toBe('critical');
    expect(result.output).toContain('the first 1 MiB of the body does not match');
  });

  it('sends the method, headers and body', async () => {
    const result = await run({
      url: `${base}/echo`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Probe': 'fleetdeck' },
      body: '{"ping":true}',
      expectStatus: [201],
      bodyRegex: '^created$',
    });
    expect(result.status).toBe('passing');
    const request = received.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.body).toBe('{"ping":true}');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-probe': 'fleetdeck',
      'content-length': '13',
      'user-agent': 'Fleetdeck health check',
    });
  });

  it('lets a check set its own User-Agent', async () => {
    await run({ url: `${base}/echo`, method: 'PUT', headers: { 'User-Agent': 'probe/2' }, expectStatus: [201] });
    expect(received.at(-1)?.headers['user-agent']).toBe('probe/2');
  });

  it('gives up on a slow endpoint at the timeout and closes the request', async () => {
    const definition = check({ url: `${base}/slow`, timeoutMs: 150 });
    const started = performance.now();
    const result = await checkHttp(definition, checkContext(150));
    expect(result).toEqual({ status: 'critical', output: 'timed out after 150 ms' });
    expect(performance.now() - started).toBeLessThan(5_000);
    await slowClosed;
  });

  it('runCheck enforces the timeout on an http check', async () => {
    const result = await runCheck(check({ url: `${base}/slow`, timeoutMs: 100 }), {
      signal: new AbortController().signal,
      commands: {},
      files: namedByConfig,
      now: Date.now,
    });
    expect(result).toMatchObject({ status: 'critical', output: 'timed out after 100 ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(95);
    await slowClosed;
  });

  it('reuses keep-alive connections between runs', async () => {
    await run({ url: `${base}/ok` });
    const before = connections;
    for (let i = 0; i < 5; i++) expect((await run({ url: `${base}/ok` })).status).toBe('passing');
    expect(connections).toBe(before);
  });

  it('is critical when nothing listens', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await close(closed);
    const result = await run({ url: `http://127.0.0.1:${port}/` });
    expect(result.status).toBe('critical');
    expect(result.output).toMatch(/^request failed: .*ECONNREFUSED/);
  });
});

describe('http checker with a server that drops idle keep-alive connections', () => {
  let raw: TcpServer;
  let url: string;

  beforeAll(async () => {
    // Answers the first request on each connection and promises keep-alive, then closes the connection when a
    // second request arrives on it: what a server whose idle timeout just passed looks like to the client.
    raw = await startTcpServer((socket) => {
      let requests = 0;
      socket.on('data', () => {
        if (++requests > 1) return socket.destroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      });
    });
    url = `http://127.0.0.1:${raw.port}/`;
  });

  afterAll(async () => {
    await raw.close();
  });

  it('retries once on a fresh connection instead of reporting the stale one', async () => {
    expect((await run({ url })).status).toBe('passing');
    expect((await run({ url })).status).toBe('passing');
  });
});
