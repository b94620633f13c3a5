// The repository's e2e suites against Nest 11: the same tests and sources as `npm test`, with every
// @nestjs/* package taken from this folder's own install (its package-lock.json) instead of the root's Nest 12,
// and jose 5 (which ships CommonJS, as Nest 11 apps tested by Jest's CommonJS runtime need) instead of jose 6.
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
    '^jose$': '<rootDir>/compat/nest11/node_modules/jose/dist/node/esm/index.js',
    ...base.moduleNameMapper,
  },
};
