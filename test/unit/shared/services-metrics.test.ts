import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ServiceDefinition } from '../../../shared/services.js';

const service = (metrics: unknown) => ServiceDefinition.safeParse({ id: 'api', name: 'API', metrics });
const problems = (metrics: unknown) => {
  const parsed = service(metrics);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('a service’s `metrics:`', () => {
  it('needs only the endpoint and the requests counter; interval and timeout have defaults', () => {
    const parsed = service({ url: 'http://127.0.0.1:8080/metrics', requests: 'http_requests_total' });
    expect(parsed.success && parsed.data.metrics).toEqual({
      url: 'http://127.0.0.1:8080/metrics',
      intervalMs: 15_000,
      timeoutMs: 5_000,
      requests: 'http_requests_total',
    });
  });

  it('refuses a bad endpoint, selector, interval or unknown key, naming the field', () => {
    expect(
      problems({
        url: 'ftp://host/metrics',
        intervalMs: 500,
        timeoutMs: 100,
        requests: 'http_requests_total{code=500}',
        errors: '{code="500"}',
        latencyMs: 'x',
      }),
    ).toEqual([
      'metrics.url: must be an http:// or https:// URL',
      'metrics.intervalMs: Too small: expected number to be >=1000',
      'metrics.requests: expected label="value" (or !=, =~, !~) at "code=500}"',
      'metrics.errors: must start with a metric name such as http_requests_total',
      'metrics: Unrecognized key: "latencyMs"',
    ]);
    expect(problems({ url: 'http://h/metrics', intervalMs: 2_000, timeoutMs: 3_000, requests: 'r' })).toEqual([
      'metrics.timeoutMs: timeoutMs must not exceed intervalMs',
    ]);
    expect(problems({ url: 'http://h/metrics' })).toEqual([
      'metrics.requests: Invalid input: expected string, received undefined',
    ]);
  });

  it('round-trips through its own output, as export and import do', () => {
    const first = ServiceDefinition.parse({
      id: 'api',
      name: 'API',
      metrics: { url: 'https://api.internal/metrics', requests: 'a_total', errors: 'a_total{code=~"5.."}' },
    });
    expect(ServiceDefinition.parse(z.json().parse(JSON.parse(JSON.stringify(first))))).toEqual(first);
  });
});
