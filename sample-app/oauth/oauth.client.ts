import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { OAuthFailedException, ServerUnavailableException } from 'nestjs-api-errors';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';

/**
 * Exchanges an OAuth authorization code for the provider's user id, at the provider's token endpoint:
 * `OAUTH_PROVIDER_URL`, or in demo mode (`DEMO_MODE=1`) the sample's own demo provider, over loopback
 * HTTP. The provider saying no → `auth.oauth.failed`; the provider unreachable or slow → 503
 * `server.unavailable`. With no provider configured and no demo mode, there is no one to ask: every code
 * is refused with `auth.oauth.failed`, as a real provider would refuse a `demo:` code.
 */
@Injectable()
export class OAuthClient {
  readonly provider = 'demo';

  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** `false` when OAuth is off: no `OAUTH_PROVIDER_URL` and no demo mode. */
  get enabled(): boolean {
    return this.config.oauthProviderUrl !== undefined || this.config.demoMode;
  }

  async subjectFor(code: string): Promise<string> {
    if (!this.enabled) {
      throw new OAuthFailedException();
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl()}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'authorization_code', code }),
        signal: AbortSignal.timeout(3000),
      });
    } catch (error) {
      throw new ServerUnavailableException(undefined, { cause: error });
    }
    if (response.status >= 500) {
      throw new ServerUnavailableException(undefined, {
        cause: new Error(`OAuth provider answered ${response.status}`),
      });
    }
    const body = (await response.json().catch(() => ({}))) as { sub?: unknown };
    if (!response.ok || typeof body.sub !== 'string' || body.sub === '') {
      throw new OAuthFailedException();
    }
    return body.sub;
  }

  private baseUrl(): string {
    if (this.config.oauthProviderUrl !== undefined) {
      return this.config.oauthProviderUrl;
    }
    const address = this.adapterHost.httpAdapter.getHttpServer().address() as AddressInfo | null;
    if (address === null || typeof address !== 'object') {
      throw new ServerUnavailableException(undefined, { cause: new Error('the sample app is not listening yet') });
    }
    const host =
      address.family === 'IPv6'
        ? `[${address.address === '::' ? '::1' : address.address}]`
        : address.address === '0.0.0.0'
          ? '127.0.0.1'
          : address.address;
    return `http://${host}:${address.port}/demo-oauth`;
  }
}
