import { labelVariable } from './variables';

describe('labelVariable', () => {
  it('fills a dropdown from label_values and opens on the given value', () => {
    expect(
      labelVariable({
        name: 'service',
        label: 'Service',
        selector: 'x_count',
        labelName: 'service',
        current: 'a',
      }).build(),
    ).toMatchObject({
      type: 'query',
      name: 'service',
      query: { query: 'label_values(x_count, service)', refId: 'service' },
      datasource: { uid: 'prometheus' },
      refresh: 2,
      multi: false,
      includeAll: false,
      current: { value: 'a' },
    });
  });

  it('offers "All" as .* when several values may be picked', () => {
    expect(
      labelVariable({
        name: 'v',
        label: 'V',
        selector: 'x',
        labelName: 'version',
        multiWithAll: true,
      }).build(),
    ).toMatchObject({ multi: true, includeAll: true, allValue: '.*', current: { value: '$__all' } });
  });

  it('refuses a variable that would open with nothing selected', () => {
    expect(() => labelVariable({ name: 'v', label: 'V', selector: 'x', labelName: 'version' })).toThrow(
      'variable v needs a default value or "All"',
    );
  });
});
