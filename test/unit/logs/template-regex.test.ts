import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { LogTemplates } from '../../../electron/logs/log-templates.js';
import { escapeRegex, templateRegex } from '../../../electron/logs/template-regex.js';
import { seededRandom } from '../../support/member-records.js';

const random = seededRandom(13);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const hex = (length: number) => Array.from({ length }, () => pick([...'0123456789abcdef'])).join('');
const int = (max: number) => String(Math.floor(random() * max));
const ip = () => [int(256), int(256), int(256), int(256)].join('.');
const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
const word = () => pick(['root', 'admin', 'deploy', 'ci-bot', 'a.b', 'x+y', '(none)', '[user]', 'ü-name', 'C:\\path']);
const stamp = () => `2025-0${1 + Number(int(9))}-1${int(10)}T${int(24)}:${int(60)}:${int(60)}.${int(1000)}Z`;

/** Shapes of lines from nginx, sshd, the JVM, Go and apps, with regex-special characters in their constant text. */
const shapes: ReadonlyArray<() => string> = [
  () => `${ip()} - - [${stamp()}] "GET /api/v1/items?id=${int(1e6)} HTTP/1.1" ${pick(['200', '404'])} ${int(9999)}`,
  () =>
    `Jan ${int(31)} 10:0${int(10)}:${int(60)} web-${int(9)} sshd[${int(9e4)}]: Failed password for ${word()} from ${ip()} port ${int(65535)} ssh2`,
  () =>
    `${stamp()} ERROR [main] c.e.Orders - order ${uuid()} failed: java.lang.IllegalStateException: $total < 0 (${int(100)}%)`,
  () =>
    `panic: runtime error: index out of range [${int(10)}] with length ${int(10)} goroutine ${int(500)} [running]: 0x${hex(6)}`,
  () => `${stamp()}   WARN  cache^miss key=${hex(16)}   ratio=${int(100)}.${int(100)} | retry* {n=${int(5)}}`,
  () => `${stamp()} INFO user ${word()} logged in from ${ip()} via ${pick(['sso', 'password', 'token'])}`,
];

describe('templateRegex', () => {
  it('escapes what RE2 would read as syntax', () => {
    const literal = 'a.b*c+d?(e)[f]{g}|h^i$j\\k';
    expect(RE2JS.compile(escapeRegex(literal)).matches(literal)).toBe(true);
  });

  it('gives every template of a corpus a regex that RE2 compiles and that matches every line of the template', () => {
    // Every line of a template is kept as an example, so every one is checked.
    const templates = new LogTemplates({ examplesPerTemplate: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 3000; i += 1) templates.add(pick(shapes)());
    const found = templates.templates();
    expect(found.length).toBeGreaterThanOrEqual(shapes.length);
    for (const template of found) {
      const regex = templateRegex(template.tokens);
      expect(regex, JSON.stringify(template.examples[0])).not.toBeNull();
      const compiled = RE2JS.compile(regex!);
      const missed = template.examples.filter((line) => !compiled.test(line));
      expect(missed, regex!).toEqual([]);
    }
  });

  it('types masked values, and leaves out the tokens without a word at either end', () => {
    // No tree levels: lines of the same length meet whatever their first words.
    const templates = new LogTemplates({ depth: 0 });
    templates.add('2025-01-01T10:00:00Z alpha conn from 10.0.0.1 port 22 id=0xff 12');
    templates.add('2025-01-01T10:00:03Z beta conn from 10.0.0.2 port 23 id=0x1f 13');
    const [template] = templates.templates();
    expect(templateRegex(template!.tokens)).toBe(
      'conn\\s+from\\s+\\d{1,3}(?:\\.\\d{1,3}){3}\\s+port\\s+\\d+(?:\\.\\d+)?\\s+id=(?:0[xX])?[0-9a-fA-F]+',
    );
  });

  it('offers no regex for a template without a word', () => {
    const templates = new LogTemplates({ depth: 0, similarity: 0 });
    templates.add('a 1 [2]');
    templates.add('b 2 [3]');
    expect(templateRegex(templates.templates()[0]!.tokens)).toBeNull();
  });
});
