// The repository's e2e suites against Nest 11: the same tests and sources as `npm test`, with every
// @nestjs/* package taken from this folder's own install (its package-lock.json) instead of the root's Nest 12.
// Run from the repository root: `npm run test:nest11`.
import { fileURLToPath } from 'node:url';
import base from '../../jest.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nest11 = '<rootDir>/compat/nest11/node_modules/@nestjs';

export default {
  ...base,
  rootDir: root,
  displayName: 'nest 11',
  testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
  moduleNameMapper: {
    '^@nestjs/(common|core|microservices|platform-express|platform-fastify|swagger|testing|websockets)$': `${nest11}/$1`,
    '^@nestjs/(common|core|microservices|platform-express|platform-fastify|swagger|testing|websockets)/(.*)$': `${nest11}/$1/$2`,
    ...base.moduleNameMapper,
  },
};
