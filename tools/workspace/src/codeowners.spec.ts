import { HEADER, renderCodeowners, type Teams } from './codeowners';

const teams: Teams = {
  default: '@org/platform',
  scopes: { 'scope:pinger': '@org/pinger', 'scope:shared': '@org/platform' },
};

describe('renderCodeowners', () => {
  it('maps each project folder to the team of its scope tag, sorted by path, after the generated-file header', () => {
    const output = renderCodeowners(
      [
        { name: 'pinger', root: 'apps/pinger', tags: ['type:app', 'scope:pinger'] },
        { name: 'metrics', root: 'libs/shared/metrics', tags: ['scope:shared', 'type:util'] },
      ],
      teams,
    );
    expect(output.split('\n')).toEqual([
      ...HEADER,
      '',
      '* @org/platform',
      '',
      '/apps/pinger/ @org/pinger',
      '/libs/shared/metrics/ @org/platform',
      '',
    ]);
  });

  it('refuses a project without a scope tag, naming it', () => {
    expect(() =>
      renderCodeowners([{ name: 'orphan', root: 'apps/orphan', tags: ['type:app'] }], teams),
    ).toThrow("project 'orphan' must have exactly one scope:* tag, has none");
  });

  it('refuses a project with two scope tags', () => {
    expect(() =>
      renderCodeowners(
        [{ name: 'split', root: 'apps/split', tags: ['scope:pinger', 'scope:shared'] }],
        teams,
      ),
    ).toThrow('has scope:pinger, scope:shared');
  });

  it('refuses a scope that no team owns', () => {
    expect(() => renderCodeowners([{ name: 'x', root: 'apps/x', tags: ['scope:unknown'] }], teams)).toThrow(
      'does not map to a team',
    );
  });
});
