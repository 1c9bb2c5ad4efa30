// Types of the two undici modules the client imports by path (see `Pool` in client.ts): CommonJS
// modules whose `module.exports` is the default import.
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";
  const PoolClass: typeof Pool;
  export default PoolClass;
}

declare module "undici/lib/api/index.js" {
  import type { Dispatcher } from "undici";
  const api: { readonly request: Dispatcher["request"] };
  export default api;
}
