/**
 * The demo data seeded on first start. These are demo credentials, printed at start-up and used by the
 * walkthrough's curl examples (sample-app/WALKTHROUGH.md): never ship anything like them.
 */
export const DEMO = {
  apiKey: 'demo-web-app-key-0123456789abcdef',
  /** A second client application: searches objects only, offers recovery by email only. */
  mobileApiKey: 'demo-mobile-app-key-0123456789abcd',
  revokedApiKey: 'demo-revoked-key-0123456789abcdef',
  signingKeyId: 'partner-1',
  signingSecret: 'demo-partner-signing-secret-2026',
  /** Captcha answers the sample's local verifier knows (like the providers' test keys). */
  captcha: { pass: 'demo-captcha-pass', fail: 'demo-captcha-fail', unavailable: 'demo-captcha-down' },
  /** Disclaimers a new account must accept. */
  disclaimers: ['terms-2026-01', 'privacy-2026-01'],
  users: {
    /** Second factor (backup code or memorable letters), OTP for critical changes, every recovery method. */
    alice: {
      loginId: 'alice',
      password: 'alice-demo-password',
      email: 'alice@example.com',
      phone: '+447700900001',
      controlQuestion: 'Name of your first pet?',
      controlAnswer: 'rex',
      memorableWord: 'lighthouse',
      backupCodes: ['1111-2222', '3333-4444'],
    },
    /** Password for critical changes, no phone and no control question; linked to the demo OAuth provider. */
    bob: { loginId: 'bob', password: 'bob-demo-password', email: 'bob@example.com', oauthSubject: 'bob-at-provider' },
    /** No email, has turned recovery by phone off; linked to the demo OAuth provider too. */
    carol: {
      loginId: 'carol',
      password: 'carol-demo-password',
      phone: '+447700900003',
      oauthSubject: 'carol-at-provider',
    },
    restricted: { loginId: 'rita', password: 'rita-demo-password' },
    closed: { loginId: 'colin', password: 'colin-demo-password' },
    denied: { loginId: 'dave', password: 'dave-demo-password' },
  },
  /** An entry of the membership register (surname, date of birth). */
  member: { memberNumber: 'M-1001', surname: 'Smith', dateOfBirth: '1990-04-01' },
  /** Object types the demo web app may search; `users` exists but is restricted for it. */
  searchTypes: ['objects', 'notes'],
  objectTypes: ['note', 'document', 'link'],
} as const;
