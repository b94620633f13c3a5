import type { HttpServer } from '@nestjs/common';
import { MethodNotAllowedException } from '../exceptions/extension.exceptions.js';

/** The methods a route may serve that `Allow` lists; OPTIONS only when a route serves it. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'SEARCH'] as const;

interface ExpressLayer {
  route?: { methods?: Record<string, boolean> };
  /** A boolean in router 2.0–2.2, the match or `false` from 2.3. */
  match?(path: string): unknown;
}

interface FastifyLike {
  findRoute?(options: { method: string; url: string }): unknown;
}

/**
 * The 405 for a request no route matched (asked with the `methodNotAllowed` option) when its path is one
 * that routes serve with other methods; `undefined` leaves the 404 as it was. The routes are the router's own, asked
 * with the path as the router saw it, so the global prefix, URI versions and parameters count as they
 * do for matching. OPTIONS keeps its 404: answering it is CORS's or the application's business.
 */
export function methodNotAllowedFor(adapter: HttpServer, request: unknown): MethodNotAllowedException | undefined {
  const method = String((request as { method?: unknown }).method ?? '').toUpperCase();
  if (method === 'OPTIONS') {
    return undefined;
  }
  const url = (request as { originalUrl?: unknown; url?: unknown }).originalUrl ?? (request as { url?: unknown }).url;
  const path = typeof url === 'string' ? (url.split('?', 1)[0] ?? '') : '';
  const served = path === '' ? new Set<string>() : servedMethods(adapter, path);
  if (served.has('GET')) {
    served.add('HEAD'); // both adapters answer HEAD with the GET route
  }
  if (served.size === 0 || served.has(method)) {
    return undefined;
  }
  const allow = METHODS.filter(name => served.has(name)).join(', ');
  return new MethodNotAllowedException(undefined, { headers: { Allow: allow } });
}

function servedMethods(adapter: HttpServer, path: string): Set<string> {
  const served = new Set<string>();
  const instance: unknown = adapter.getInstance();
  if (adapter.getType() === 'fastify') {
    const fastify = instance as FastifyLike;
    for (const method of METHODS) {
      const found: unknown = fastify.findRoute?.({ method, url: path });
      if (found !== null && found !== undefined) {
        served.add(method);
      }
    }
    return served;
  }
  // Express 5: the routes are the layers of the application's router that carry a route
  const stack = (instance as { router?: { stack?: ExpressLayer[] } }).router?.stack ?? [];
  for (const layer of stack) {
    if (layer.route?.methods !== undefined && Boolean(layer.match?.(path))) {
      for (const [name, on] of Object.entries(layer.route.methods)) {
        if (on && name !== '_all') {
          served.add(name.toUpperCase());
        }
      }
    }
  }
  return served;
}
