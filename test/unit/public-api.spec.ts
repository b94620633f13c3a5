// docs/api.md lists the public API: every value 'nestjs-api-errors' and 'nestjs-api-errors/client' export
// has its line there, and the client's are marked as such.
import { readFileSync } from 'node:fs';
import * as server from 'nestjs-api-errors';
import * as client from '../../lib/client/index.js';

const page = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const perCodeClasses = new Set<string>(Object.values(server.API_ERROR_CATALOGUE).map(entry => entry.exception));
const lineOf = (name: string): string | undefined =>
  page.split('\n').find(line => line.startsWith('|') && new RegExp(`\`${name}\\b`).test(line));

describe('docs/api.md', () => {
  it.each(Object.keys(server).filter(name => !perCodeClasses.has(name)))('has a line for %s', name => {
    expect(lineOf(name)).toBeDefined();
  });

  it.each(Object.keys(client))('marks %s as a client export', name => {
    expect(lineOf(name)).toContain('*client*');
  });
});
