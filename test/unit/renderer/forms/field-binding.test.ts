import { describe, expect, it } from 'vitest';
import { fieldBinder } from '../../../../renderer/forms/field-binding.js';

interface Draft {
  name: string;
  grpcService: string;
  tls: boolean;
}

describe('binding a draft field to its input', () => {
  it('gives the value, a change that patches only that field, and the error at the field’s own key', () => {
    const patches: Partial<Draft>[] = [];
    const bind = fieldBinder<Draft>({ name: 'web', grpcService: '', tls: false }, (change) => patches.push(change), {
      name: 'Required',
      'checks.0.name': 'not this one',
    });
    const name = bind('name');
    expect([name.value, name.error]).toEqual(['web', 'Required']);
    name.onChange('api');
    bind('tls').onChange(true);
    expect(patches).toEqual([{ name: 'api' }, { tls: true }]);
  });

  it('finds the error under the schema’s name for the field, after the prefix of a part of the draft', () => {
    const bind = fieldBinder<Draft>(
      { name: '', grpcService: 'health', tls: true },
      () => {},
      {
        'checks.1.service': 'Too long',
        'checks.1.name': 'Required',
        name: 'the service’s, not the check’s',
      },
      'checks.1.',
    );
    expect(bind('grpcService', 'service').error).toBe('Too long');
    expect(bind('name').error).toBe('Required');
    expect(bind('tls').error).toBeUndefined();
  });
});
