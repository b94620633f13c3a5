export default async function globalTeardown() {
  await Promise.all([globalThis.__API_ERRORS_REDIS__?.stop(), globalThis.__API_ERRORS_REDIS_CLUSTER__?.stop()]);
}
