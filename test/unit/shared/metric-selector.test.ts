import { describe, expect, it } from 'vitest';
import { parseMetricSelector } from '../../../shared/metric-selector.js';

describe('parseMetricSelector', () => {
  it('reads a bare metric name and one with label matchers of every operator', () => {
    expect(parseMetricSelector(' http_requests_total ')).toEqual({
      ok: true,
      selector: { metric: 'http_requests_total', matchers: [] },
    });
    expect(
      parseMetricSelector('http_requests_total{code=~"5..", method!="GET",path!~"/health.*" ,job="a\\"b",}'),
    ).toEqual({
      ok: true,
      selector: {
        metric: 'http_requests_total',
        matchers: [
          { name: 'code', op: '=~', value: '5..' },
          { name: 'method', op: '!=', value: 'GET' },
          { name: 'path', op: '!~', value: '/health.*' },
          { name: 'job', op: '=', value: 'a"b' },
        ],
      },
    });
    expect(parseMetricSelector('up{}')).toEqual({ ok: true, selector: { metric: 'up', matchers: [] } });
  });

  it.each([
    ['', 'must start with a metric name such as http_requests_total'],
    ['5xx_total', 'must start with a metric name such as http_requests_total'],
    ['http_requests_total code="500"', 'expected "{" or the end after http_requests_total'],
    ['http_requests_total{code=500}', 'expected label="value" (or !=, =~, !~) at "code=500}"'],
    ['http_requests_total{code="500"', 'expected label="value" (or !=, =~, !~) at "code="500""'],
    ['http_requests_total{code="500"} [5m]', 'unexpected "[5m]" after "}"'],
  ])('refuses %j: %s', (text, error) => {
    expect(parseMetricSelector(text)).toEqual({ ok: false, error });
  });
});
