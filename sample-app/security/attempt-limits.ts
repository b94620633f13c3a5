import { isIPv6 } from 'node:net';
import type { AttemptLimit } from 'nestjs-api-errors';
import { DEFAULT_ATTEMPT_LIMITS, type SampleAttemptLimits, type SampleConfig } from '../config.js';

/** What is being guessed: each has its own counters, per account and per client address. */
export type GuessedSecret = keyof SampleAttemptLimits;

/** 429 messages, by what was guessed. */
export const TOO_MANY: Record<GuessedSecret, string> = {
  signIn: 'Too many sign-in attempts; wait before trying again.',
  secondFactor: 'Too many second-factor attempts; wait before trying again.',
  controlAnswer: 'Too many control answers; wait before trying again.',
};

const PREFIX: Record<GuessedSecret, string> = {
  signIn: 'sign-in',
  secondFactor: 'second-factor',
  controlAnswer: 'control-answer',
};

/**
 * The client's address as counters key it: an IPv4-mapped IPv6 address as IPv4, any other IPv6 address
 * by its /64 (one subscriber usually gets a whole /64, and would otherwise get 2^64 counters).
 * Behind a reverse proxy, make the adapter trust it (Express `trust proxy`, Fastify `trustProxy`) or
 * every client counts as the proxy.
 */
export function clientAddressKey(ip: string | undefined): string {
  const address = (ip ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!isIPv6(address)) {
    return address;
  }
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map(group => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The counters an attempt at `secret` is reserved under: the account's (when the account exists; an
 * unknown login id counts against the address only) and the client address's.
 */
export function attemptLimits(
  config: SampleConfig,
  secret: GuessedSecret,
  userId: number | null,
  ip: string | undefined,
): AttemptLimit[] {
  const settings = (config.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS)[secret];
  const limits: AttemptLimit[] = [];
  if (userId !== null) {
    limits.push({ key: `sample:${PREFIX[secret]}:account:${userId}`, ...settings.account });
  }
  // One valid account must not reset the address's counter: a right answer clears the account's only.
  limits.push({ key: `sample:${PREFIX[secret]}:ip:${clientAddressKey(ip)}`, ...settings.ip, clearOnSuccess: false });
  return limits;
}
