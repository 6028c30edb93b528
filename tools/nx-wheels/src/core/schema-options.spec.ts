import { resolveOptionTokens, withSchemaDefaults } from './schema-options';
import validateWheelsSchema from '../executors/validate-wheels/schema.json';
import testWheelsSchema from '../executors/test-wheels/schema.json';

const project = { projectRoot: 'bindings/python', projectName: 'python' };

describe('resolveOptionTokens', () => {
  it.each([
    ['{projectRoot}/wheelhouse', 'bindings/python/wheelhouse'],
    ['{workspaceRoot}/dist/{projectRoot}/wheelhouse', 'dist/bindings/python/wheelhouse'],
    ['out/{projectName}.json', 'out/python.json'],
    ['https://upload.pypi.org/legacy/', 'https://upload.pypi.org/legacy/'],
    ['/abs/dir//x', '/abs/dir//x'],
  ])('%s -> %s', (v, want) => expect(resolveOptionTokens(v, project)).toBe(want));

  it('a project at the workspace root gives plain workspace-relative paths', () => {
    expect(resolveOptionTokens('{projectRoot}/wheelhouse', { projectRoot: '.', projectName: 'p' })).toBe('wheelhouse');
    expect(resolveOptionTokens('dist/{projectRoot}/wheelhouse', { projectRoot: '.', projectName: 'p' })).toBe('dist/wheelhouse');
  });
});

describe('withSchemaDefaults', () => {
  it("fills in validate-wheels' schema defaults, with {projectRoot} resolved, and keeps what is given", () => {
    const o = withSchemaDefaults(validateWheelsSchema, { ...project, maxSize: 5 } as typeof project & Record<string, unknown>);
    expect(o).toMatchObject({
      wheelDir: 'bindings/python/wheelhouse',
      platforms: 'host',
      maxSize: 5,
      externalChecks: true,
      twineStrict: false,
    });
    expect('reportFile' in o).toBe(false);
  });

  it('resolves tokens in given options too (Nx leaves them in a default it applied)', () => {
    const o = withSchemaDefaults(testWheelsSchema, { ...project, wheelDir: '{projectRoot}/w' } as typeof project & Record<string, unknown>);
    expect(o['wheelDir']).toBe('bindings/python/w');
    expect(withSchemaDefaults(testWheelsSchema, { ...project })).toMatchObject({ wheelDir: 'dist/bindings/python/wheelhouse' });
  });
});
