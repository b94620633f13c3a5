import { readFileSync } from 'node:fs';
import { API_ERROR_CATALOGUE, type ApiErrorCode } from 'nestjs-api-errors';
import { anchorOf } from '../../scripts/docs-codes.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const codesPage = readFileSync(new URL('../../docs/codes.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands a newcomer runs', () => {
    const firstBlock = readme.slice(readme.indexOf('```bash'), readme.indexOf('```', readme.indexOf('```bash') + 3));
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it.each(Object.keys(API_ERROR_CATALOGUE) as ApiErrorCode[])(
    'lists %s with its status, class and message, linked to its section of docs/codes.md',
    code => {
      const { status, exception, message } = API_ERROR_CATALOGUE[code];
      const link = `[\`${code}\`](docs/codes.md#${anchorOf(code)})`;
      expect(readme).toContain(`| ${link} | ${status} | \`${exception}\` | ${message} |`);
      expect(codesPage).toContain(`\n## \`${code}\`\n`);
    },
  );
});
