import type { LoggerService } from '@nestjs/common';

export interface CapturedLine {
  level: string;
  message: string;
  extra: string[];
}

/** A Nest logger that keeps every line, so tests can find an error id, or look for a secret. */
export class LogCapture implements LoggerService {
  readonly lines: CapturedLine[] = [];
  private readonly waiting: { matches(line: CapturedLine): boolean; resolve(line: CapturedLine): void }[] = [];

  private push(level: string, message: unknown, params: unknown[]): void {
    const line = { level, message: stringify(message), extra: params.map(stringify) };
    this.lines.push(line);
    for (const waiter of [...this.waiting]) {
      if (waiter.matches(line)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }

  /** The first line that matches, logged already or when it is (no polling, no sleep). */
  lineMatching(matches: (line: CapturedLine) => boolean): Promise<CapturedLine> {
    const logged = this.lines.find(matches);
    return logged !== undefined
      ? Promise.resolve(logged)
      : new Promise(resolve => this.waiting.push({ matches, resolve }));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.push('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.push('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.push('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.push('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.push('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.push('fatal', message, params);
  }

  /** Every line of the package's own logger ("ApiErrors" context). */
  apiErrorLines(): CapturedLine[] {
    return this.lines.filter(line => line.extra.includes('ApiErrors'));
  }

  /** The lines that mention an error id. */
  linesWith(text: string): CapturedLine[] {
    return this.lines.filter(line => line.message.includes(text) || line.extra.some(item => item.includes(text)));
  }

  /** Everything logged, as one text to search. */
  text(): string {
    return this.lines.map(line => [line.level, line.message, ...line.extra].join(' ')).join('\n');
  }

  clear(): void {
    this.lines.length = 0;
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value instanceof Error) {
    return value.stack ?? value.message;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
