export default async function globalTeardown() {
  await globalThis.__API_ERRORS_REDIS__?.stop();
}
