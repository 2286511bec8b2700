import { describe, expect, it } from 'vitest';
import { LogTemplates } from '../../../electron/logs/log-templates.js';
import { templateText } from '../../../electron/logs/template-regex.js';

const shapes = (templates: LogTemplates) =>
  templates.templates().map((template) => ({ text: templateText(template.tokens), count: template.count }));

const sshFailures = [
  'Jan 12 10:01:02 web-1 sshd[812]: Failed password for root from 10.0.0.7 port 52144 ssh2',
  'Jan 12 10:01:05 web-1 sshd[815]: Failed password for admin from 10.0.3.9 port 40022 ssh2',
  'Jan 12 10:02:17 web-1 sshd[901]: Failed password for oracle from 192.168.1.20 port 61000 ssh2',
];
const timeouts = [
  '2025-01-01T12:00:01.000Z ERROR upstream timeout after 3000 ms',
  '2025-01-01T12:00:04.250Z ERROR upstream timeout after 2500 ms',
];

describe('LogTemplates (Drain)', () => {
  it('groups lines of the same shape into one template, the parts that differ as wildcards or typed masks', () => {
    const templates = new LogTemplates();
    for (const line of [...sshFailures, ...timeouts]) templates.add(line);
    expect(shapes(templates)).toEqual([
      {
        text: 'Jan <NUM> <NUM>:<NUM>:<NUM> web-<NUM> sshd[<NUM>]: Failed password for <*> from <IP> port <NUM> ssh<NUM>',
        count: 3,
      },
      { text: '<NUM>-<NUM>-<NUM>T<NUM>:<NUM>:<NUM>Z ERROR upstream timeout after <NUM> ms', count: 2 },
    ]);
  });

  it('keeps lines of different shapes apart, also when they have the same number of tokens', () => {
    const templates = new LogTemplates();
    templates.add('INFO cache hit ratio 0.93');
    templates.add('WARN disk nearly full 97%');
    templates.add('INFO cache hit ratio 0.88');
    templates.add('GET /api/cart 200 in 12ms');
    expect(shapes(templates)).toEqual([
      { text: 'INFO cache hit ratio <NUM>', count: 2 },
      { text: 'WARN disk nearly full <NUM>%', count: 1 },
      { text: 'GET /api/cart <NUM> in <NUM>ms', count: 1 },
    ]);
  });

  it('joins a line to a template only when the share of equal tokens reaches the similarity threshold', () => {
    // After the shared first tokens (the tree's branch), two of five tokens equal: 0.4.
    const lines = ['job sync started queue alpha', 'job sync finished worker beta'];
    const loose = new LogTemplates({ similarity: 0.4 });
    const strict = new LogTemplates({ similarity: 0.5 });
    for (const line of lines) {
      loose.add(line);
      strict.add(line);
    }
    expect(shapes(loose)).toEqual([{ text: 'job sync <*> <*> <*>', count: 2 }]);
    expect(shapes(strict)).toEqual([
      { text: 'job sync started queue alpha', count: 1 },
      { text: 'job sync finished worker beta', count: 1 },
    ]);
  });

  it('keeps the first lines of each template as examples, up to the limit', () => {
    const templates = new LogTemplates({ examplesPerTemplate: 2 });
    for (const line of sshFailures) templates.add(line);
    const [only] = templates.templates();
    expect(only!.examples).toEqual(sshFailures.slice(0, 2));
    expect(only!.count).toBe(3);
  });

  it('ignores blank lines', () => {
    const templates = new LogTemplates();
    expect(templates.add('   ')).toBeNull();
    expect(templates.size).toBe(0);
  });

  it('holds at most maxTemplates, evicting the least recently matched, however many shapes arrive', () => {
    const templates = new LogTemplates({ maxTemplates: 10 });
    for (let i = 0; i < 2000; i += 1) {
      templates.add(`steady heartbeat from worker ${i}`);
      // Lines of a length of their own: each is a new shape.
      templates.add(Array.from({ length: 5 + (i % 400) }, () => 'word').join(' '));
    }
    expect(templates.size).toBe(10);
    const texts = shapes(templates).map((shape) => shape.text);
    expect(texts).toContain('steady heartbeat from worker <NUM>');
  });

  it('sends tokens past maxChildren down one wildcard branch, so they still group', () => {
    const templates = new LogTemplates({ maxChildren: 3, depth: 1 });
    for (const verb of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) templates.add(`${verb} request served ok`);
    // alpha and beta have branches of their own; gamma, delta and epsilon share the wildcard branch.
    expect(shapes(templates)).toEqual([
      { text: '<*> request served ok', count: 3 },
      { text: 'alpha request served ok', count: 1 },
      { text: 'beta request served ok', count: 1 },
    ]);
  });
});
