import { describe, expect, it } from 'vitest';
import { ServiceDefinition } from '../../../../../shared/services.js';
import {
  definitionOf,
  emptyServiceDraft,
  newCheckDraft,
  problemsOf,
  serviceDraftOf,
  timingDefaults,
  type CheckDraft,
  type ServiceDraft,
} from '../../../../../renderer/views/services/service-draft.js';

const draftWith = (check: Partial<CheckDraft>, service: Partial<ServiceDraft> = {}): ServiceDraft => ({
  ...emptyServiceDraft(),
  id: 'billing-api',
  name: 'Billing API',
  checks: [{ ...newCheckDraft(check.type), name: 'health', ...check }],
  ...service,
});

describe('service drafts', () => {
  it('turns an HTTP check as typed into the definition the agent accepts, defaults filled in', () => {
    const result = definitionOf(
      draftWith(
        {
          url: ' http://127.0.0.1:8080/health ',
          expectStatus: '200, 3XX',
          headers: 'Accept: application/json\n\nX-Trace: on',
        },
        { tags: ' backend , eu-west,, ' },
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.service.tags).toEqual(['backend', 'eu-west']);
    const [check] = result.service.checks;
    expect(check).toMatchObject({
      type: 'http',
      name: 'health',
      url: 'http://127.0.0.1:8080/health',
      expectStatus: [200, '3xx'],
      headers: { Accept: 'application/json', 'X-Trace': 'on' },
      intervalMs: timingDefaults.intervalMs,
      timeoutMs: timingDefaults.timeoutMs,
    });
  });

  it('marks a missing id and check name as required, and says nothing is saved', () => {
    const result = definitionOf(draftWith({ name: ' ', url: 'http://127.0.0.1/' }, { id: '' }));
    expect(result).toMatchObject({ ok: false, fields: { id: 'Required', 'checks.0.name': 'Required' } });
  });

  it('puts a header line without a colon at the headers field', () => {
    const result = definitionOf(draftWith({ url: 'http://127.0.0.1/', headers: 'Accept application/json' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields['checks.0.headers']).toBe('line 1 must be "Name: value"');
  });

  it('explains a timeout longer than the interval at the timeout field', () => {
    const result = definitionOf(draftWith({ url: 'http://127.0.0.1/', intervalMs: '1000', timeoutMs: '5000' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.values(result.fields)).toContain('Must not be longer than the interval');
  });

  it('reports a number field left as text as needing a number', () => {
    const result = definitionOf(draftWith({ type: 'tcp', host: '127.0.0.1', port: 'five' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields['checks.0.port']).toBeDefined();
  });

  it('sends a gRPC CA file only with TLS on, and keeps it in the draft while TLS is off', () => {
    const base = { type: 'grpc' as const, address: 'localhost:50051', grpcCaFile: '/etc/ca.pem' };
    const withTls = definitionOf(draftWith({ ...base, tls: true }));
    const withoutTls = definitionOf(draftWith({ ...base, tls: false }));
    expect(withTls.ok && withTls.service.checks[0]).toMatchObject({ tls: true, caFile: '/etc/ca.pem' });
    expect(withoutTls.ok && withoutTls.service.checks[0]).not.toHaveProperty('caFile');
  });

  it('round-trips a definition through a draft, keeping the settings the form does not show', () => {
    const definition = ServiceDefinition.parse({
      id: 'payments',
      name: 'Payments',
      description: 'the gateway',
      tags: ['backend'],
      checks: [
        {
          type: 'http',
          name: 'health',
          url: 'https://127.0.0.1:8443/health',
          method: 'POST',
          expectStatus: [200, 204],
          headers: { Authorization: 'Bearer x' },
          body: '{}',
          bodyRegex: 'ok',
          caFile: '/etc/private-ca.pem',
          tlsExpiryWarningDays: 30,
          intervalMs: 10_000,
          timeoutMs: 2_000,
          retries: 2,
          retryBaseMs: 250,
          retryMaxMs: 4_000,
          failuresBeforeCritical: 3,
          successesBeforePassing: 2,
        },
        { type: 'ttl', name: 'nightly', ttlMs: 90_000 },
      ],
      metrics: { url: 'http://127.0.0.1:9100/metrics', requests: 'http_requests_total' },
    });
    const parsed = definitionOf(serviceDraftOf(definition));
    expect(parsed).toEqual({ ok: true, service: definition });
  });

  it("places the agent's issues at the fields they name, the request wrapper left off", () => {
    const draft = draftWith({ url: 'http://127.0.0.1/' });
    const problems = problemsOf(
      [
        { path: 'service.checks.0.expectStatus.1', message: 'Invalid input: bad status' },
        { path: 'service.name', message: 'Too long' },
        { path: 'service.unknownThing', message: 'Unrecognized key' },
      ],
      draft,
    );
    expect(problems.fields).toEqual({ 'checks.0.expectStatus': 'bad status', name: 'Too long' });
    expect(problems.other).toEqual(['unknownThing: Unrecognized key']);
  });

  it('gives every new check its own key, so the form keeps track of checks while names change', () => {
    expect(newCheckDraft().key).not.toBe(newCheckDraft().key);
  });
});
