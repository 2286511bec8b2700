import { describe, expect, it } from 'vitest';
import { ApiOrigin, NodeSummary } from '../../../shared/node.js';

const messages = (value: unknown, schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } }) =>
  schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('member record fields', () => {
  it('takes a plain http(s) origin as a member API address and names what is wrong with anything else', () => {
    expect(ApiOrigin.parse('http://10.0.0.1:7420')).toBe('http://10.0.0.1:7420');
    expect(ApiOrigin.parse('https://node-1.example:7420')).toBe('https://node-1.example:7420');
    for (const bad of ['10.0.0.1:7420', 'ftp://10.0.0.1', 'not a url', 'file:///etc/passwd']) {
      expect(messages(bad, ApiOrigin)).toEqual(['must be an http:// or https:// URL']);
    }
    for (const bad of ['http://10.0.0.1:7420/rpc', 'http://u:p@10.0.0.1:7420', 'http://10.0.0.1:7420?x=1']) {
      expect(messages(bad, ApiOrigin)).toEqual([
        'must be a plain http(s)://host:port origin, without path, query, fragment or user info',
      ]);
    }
  });

  it('needs a count for each of the five check statuses in a summary, and nothing else', () => {
    const summary = {
      health: 'passing',
      services: 1,
      checks: { passing: 1, warning: 0, critical: 0, flapping: 0, unknown: 0 },
      cpuPercent: null,
      memoryPercent: null,
      diskPercent: null,
      leaderClaim: null,
      publishedAt: 1,
    };
    expect(NodeSummary.parse(summary).checks).toEqual(summary.checks);
    const { unknown: _missing, ...four } = summary.checks;
    expect(NodeSummary.safeParse({ ...summary, checks: four }).success).toBe(false);
    expect(NodeSummary.safeParse({ ...summary, checks: { ...summary.checks, sleeping: 1 } }).success).toBe(false);
    expect(NodeSummary.safeParse({ ...summary, checks: { ...summary.checks, warning: -1 } }).success).toBe(false);
  });
});
