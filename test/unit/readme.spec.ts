import { readFileSync } from 'node:fs';
import { API_ERROR_CATALOGUE, type ApiErrorCode } from 'nestjs-api-errors';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands a newcomer runs', () => {
    const firstBlock = readme.slice(readme.indexOf('```bash'), readme.indexOf('```', readme.indexOf('```bash') + 3));
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it.each(Object.keys(API_ERROR_CATALOGUE) as ApiErrorCode[])('lists %s with its status, class and message', code => {
    const { status, exception, message } = API_ERROR_CATALOGUE[code];
    expect(readme).toContain(`| \`${code}\` | ${status} | \`${exception}\` | ${message} |`);
  });
});
