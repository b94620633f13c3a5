import { ApiErrorRegistry, ApiErrorsConfigurationError, ApiException, defineApiErrors } from 'nestjs-api-errors';

const billing = defineApiErrors({
  'billing.card.declined': { status: 402, message: 'The card was declined.' },
  'billing.plan.unknown': { status: 404, message: 'No such plan.', exception: 'UnknownPlanException' },
});

class CardDeclinedException extends billing.exception('billing.card.declined') {}

describe('defineApiErrors', () => {
  it('makes typed exception classes with the code, status and default message', () => {
    const error = new CardDeclinedException();
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe('billing.card.declined');
    expect(error.getStatus()).toBe(402);
    expect(error.messages).toEqual(['The card was declined.']);
    expect(CardDeclinedException.code).toBe('billing.card.declined');
    expect(billing.exception('billing.card.declined')).toBe(billing.exception('billing.card.declined'));
  });

  it('names classes after the code unless told otherwise', () => {
    expect(new (billing.exception('billing.card.declined'))().name).toBe('BillingCardDeclinedException');
    expect(new (billing.exception('billing.plan.unknown'))().name).toBe('UnknownPlanException');
  });

  it('creates exceptions without a class of their own', () => {
    const error = billing.create('billing.plan.unknown', 'Plan "gold" does not exist.');
    expect(error.getResponse()).toEqual({
      status: 'error',
      error_code: 'billing.plan.unknown',
      messages: ['Plan "gold" does not exist.'],
    });
  });

  it('accepts only its own codes (type level)', () => {
    // @ts-expect-error: not a code of this catalogue
    expect(() => billing.exception('billing.card.stolen')).toThrow();
    // @ts-expect-error: not a code of this catalogue
    expect(() => billing.create('auth.apikey.missing')).toThrow();
  });

  it.each([
    [
      'a code that is not dotted',
      { Billing: { status: 400, message: 'x' } },
      /"Billing" is not a dotted lower-case code/,
    ],
    ['an upper-case code', { 'Billing.Card': { status: 400, message: 'x' } }, /"Billing.Card" is not a dotted/],
    ['a 2xx status', { 'billing.ok': { status: 200, message: 'x' } }, /"billing.ok" has the status 200/],
    ['a 600 status', { 'billing.odd': { status: 600, message: 'x' } }, /"billing.odd" has the status 600/],
    ['an empty message', { 'billing.empty': { status: 400, message: ' ' } }, /"billing.empty" has no default message/],
    [
      'a built-in code',
      { 'auth.apikey.missing': { status: 401, message: 'x' } },
      /"auth.apikey.missing" is defined twice: the built-in catalogue/,
    ],
    [
      'a bad class name',
      { 'billing.bad': { status: 400, message: 'x', exception: 'Not A Name' } },
      /class name "Not A Name"/,
    ],
  ])('refuses %s, naming the code', (_name, table, message) => {
    expect(() => defineApiErrors(table)).toThrow(ApiErrorsConfigurationError);
    expect(() => defineApiErrors(table)).toThrow(message);
  });
});

describe('ApiErrorRegistry', () => {
  it('knows the built-in codes and the registered ones', () => {
    const registry = new ApiErrorRegistry([billing]);
    expect(registry.get('auth.apikey.missing')?.status).toBe(401);
    expect(registry.get('billing.card.declined')).toMatchObject({ status: 402, origin: 'app' });
    expect(registry.get('nobody.defined.this')).toBeUndefined();
  });

  it('stops on a code defined by two catalogues, naming it and both', () => {
    const again = defineApiErrors({ 'billing.card.declined': { status: 400, message: 'Declined.' } });
    expect(() => new ApiErrorRegistry([billing, again])).toThrow(
      'nestjs-api-errors: the error code "billing.card.declined" is defined twice: in catalogues[1] and catalogues[0]',
    );
  });
});
