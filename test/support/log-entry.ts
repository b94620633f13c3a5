import type { CapturedLine } from './log-capture.js';

/** The fields of an error's log entry as the filter hands them to a LoggerService other than ConsoleLogger. */
export interface CapturedEntry {
  msg?: string;
  error_id?: string;
  error_code?: string;
  status?: number;
  method?: string;
  path?: string;
  stack?: string;
}

/** The entry of a captured line of the filter, which logs one object (its sentence as `msg`). */
export function entryOf(line: CapturedLine | undefined): CapturedEntry {
  return JSON.parse(line?.message ?? '{}') as CapturedEntry;
}
