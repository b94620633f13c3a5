// Every ```ts block of README.md and docs/**/*.md, type-checked as a module of a new Nest 12 app would be
// (the compiler options of a `nest new` project, strict): a snippet that does not compile fails here with
// its file and line. A block is a complete module; a hidden `<!-- prelude: … -->` comment right before
// it adds lines in front of it (for what the snippet takes from "your app": a repository, a DTO).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Snippet {
  /** `docs/guards/api-keys.md:42`: the file and the line of the opening fence. */
  where: string;
  /** The prelude lines, then the block. */
  source: string;
  /** Lines added before the block (to map a diagnostic back to the Markdown). */
  preludeLines: number;
  /** 1-based line of the block's first line in the Markdown. */
  firstLine: number;
  file: string;
}

function markdownFiles(): string[] {
  const files = [join(root, 'README.md')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.md')) {
        files.push(path);
      }
    }
  };
  walk(join(root, 'docs'));
  return files.sort();
}

const PRELUDE = /^<!--\s*prelude:([\s\S]*)-->$/;

function snippetsOf(path: string): Omit<Snippet, 'file'>[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const snippets: Omit<Snippet, 'file'>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (fence === null) {
      continue;
    }
    const [, indent, lang] = fence;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) {
      body.push(lines[i]!.slice(indent!.length));
    }
    if (lang !== 'ts' && lang !== 'typescript') {
      continue;
    }
    // A prelude comment ends on the line before the fence (blank lines allowed in between).
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') {
      before--;
    }
    const text = lines.slice(0, before + 1).join('\n');
    const match = text.endsWith('-->') ? PRELUDE.exec(text.slice(text.lastIndexOf('<!--'))) : null;
    const prelude = match === null ? '' : match[1]!.trim();
    const preludeLines = prelude === '' ? 0 : prelude.split('\n').length;
    snippets.push({
      where: `${relative(root, path)}:${start + 1}`,
      source: `${prelude === '' ? '' : `${prelude}\n`}${body.join('\n')}\n\nexport {};\n`,
      preludeLines,
      firstLine: start + 2,
    });
  }
  return snippets;
}

/** What `nest new` writes in tsconfig.json, with strict on, for ESM (module/moduleResolution nodenext). */
const NEST_NEW_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  resolvePackageJsonExports: true,
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  strict: true,
  isolatedModules: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
  noEmit: true,
  // As if the package were installed: its name (and its subpath entries) resolve to the source, as
  // tsconfig.json maps them.
  paths: packagePaths(),
};

/** The `paths` of tsconfig.json for the package's own name, made absolute. */
function packagePaths(): Record<string, string[]> {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile) as {
    config: { compilerOptions: { paths: Record<string, string[]> } };
  };
  return Object.fromEntries(
    Object.entries(config.compilerOptions.paths)
      .filter(([name]) => name === 'nestjs-api-errors' || name.startsWith('nestjs-api-errors/'))
      .map(([name, targets]) => [name, targets.map(target => join(root, target))]),
  );
}

describe('TypeScript snippets of README.md and docs/', () => {
  const snippets: Snippet[] = [];
  // Inside the repository (so that its package.json and node_modules apply), in a folder git, ESLint,
  // Prettier and the type-check all ignore.
  const dir = join(root, 'dist', `docs-snippets-${process.pid}`);

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const path of markdownFiles()) {
      for (const snippet of snippetsOf(path)) {
        const file = join(dir, `${snippet.where.replace(/[^A-Za-z0-9]+/g, '-')}.ts`);
        writeFileSync(file, snippet.source);
        snippets.push({ ...snippet, file });
      }
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the snippets (README.md has some)', () => {
    expect(snippets.some(snippet => snippet.where.startsWith('README.md:'))).toBe(true);
  });

  it('compiles every snippet under a `nest new` tsconfig', () => {
    const program = ts.createProgram(
      snippets.map(snippet => snippet.file),
      NEST_NEW_OPTIONS,
    );
    const byFile = new Map(snippets.map(snippet => [snippet.file, snippet]));
    const problems: string[] = [];
    for (const diagnostic of [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...snippets.flatMap(snippet => {
        const source = program.getSourceFile(snippet.file);
        return source === undefined
          ? []
          : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      }),
    ]) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const snippet = diagnostic.file === undefined ? undefined : byFile.get(diagnostic.file.fileName);
      if (snippet === undefined || diagnostic.start === undefined) {
        problems.push(`TS${diagnostic.code}: ${message}`);
        continue;
      }
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
      const markdownLine =
        line < snippet.preludeLines
          ? `prelude of ${snippet.where}`
          : snippet.where.replace(/:\d+$/, `:${snippet.firstLine + line - snippet.preludeLines}`);
      problems.push(`${markdownLine} (snippet at ${snippet.where}): TS${diagnostic.code}: ${message}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
