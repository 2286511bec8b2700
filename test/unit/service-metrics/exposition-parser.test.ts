import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../electron/service-metrics/exposition-parser.js';

describe('parseExposition', () => {
  it('reads samples with labels, escapes, special values and timestamps, and the names of HELP and TYPE lines', () => {
    const text = [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="GET",code="200"} 1027 1395066363000',
      'http_requests_total{ method = "POST" , code="500", } 3',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      '',
      '# a comment that is not HELP or TYPE',
      'latency_bucket{le="+Inf"} +Inf',
      'no_labels -Inf',
      'missing NaN',
      '# TYPE queue_depth gauge',
      '# EOF',
    ].join('\r\n');
    const { samples, names } = parseExposition(text);
    expect(samples).toEqual([
      { name: 'http_requests_total', labels: { method: 'GET', code: '200' }, value: 1027 },
      { name: 'http_requests_total', labels: { method: 'POST', code: '500' }, value: 3 },
      {
        name: 'msdos_file_access_time_seconds',
        labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' },
        value: 1.458255915e9,
      },
      { name: 'latency_bucket', labels: { le: '+Inf' }, value: Infinity },
      { name: 'no_labels', labels: {}, value: -Infinity },
      { name: 'missing', labels: {}, value: NaN },
    ]);
    expect([...names].sort()).toEqual([
      'http_requests_total',
      'latency_bucket',
      'missing',
      'msdos_file_access_time_seconds',
      'no_labels',
      'queue_depth',
    ]);
  });

  it.each([
    ['http_requests_total', 'line 3: expected a value after the metric name'],
    ['http_requests_total{code="200"}', 'line 3: expected a value after the metric name'],
    ['http_requests_total twelve', 'line 3: "twelve" is not a number'],
    ['http_requests_total 1 2 3', 'line 3: unexpected "3"'],
    ['http_requests_total 1 soon', 'line 3: "soon" is not a timestamp'],
    ['http_requests_total{code="200} 1', 'line 3: the value of the label code is not closed'],
    ['http_requests_total{code=200} 1', 'line 3: expected a quoted value for the label code'],
    ['http_requests_total{code} 1', 'line 3: expected "=" after the label code'],
    ['http_requests_total{code="1" method="2"} 1', 'line 3: expected "," or "}" after the label code'],
    ['http_requests_total{code="1",code="2"} 1', 'line 3: the label code appears twice'],
    ['http_requests_total{9="1"} 1', 'line 3: expected a label name or "}" at "9="1"} 1"'],
    ['<html>', 'line 3: expected a metric name at "<html>"'],
  ])('refuses %j naming the line: %s', (line, message) => {
    expect(() => parseExposition(`# TYPE http_requests_total counter\nup 1\n${line}\n`)).toThrow(message);
  });
});
