/**
 * One environment per function in one process. Lambda gives each function its own
 * `process.env`; the local cloud runs every function in the `npm start` process, where
 * `process.env` is global. `installFunctionEnv()` replaces `process.env` with a proxy that, inside
 * `runWithFunctionEnv(env, fn)` (an AsyncLocalStorage scope that follows every await, timer and
 * callback of that invocation), reads and writes that invocation's record only, and outside any
 * scope passes through to the real environment. So a handler — and the SDK clients and config
 * loaders it calls — sees exactly its function's variables, whoever else set what globally.
 *
 * Memoised configuration (`requireConfig`) is kept per function too (`useContainerOf`). What this
 * cannot separate: other module-level state evaluated once per process (a logger built at
 * import reads the environment of the first function that imported it; SDK clients are shared),
 * which Lambda would keep per function. Code that copied `process.env` before installation keeps
 * its copy.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { useContainerOf } from '#shared/config';

interface Scope {
  env: Record<string, string>;
  /** The function whose "container" this is (memoised config is kept per container). */
  container: string;
}

const scopes = new AsyncLocalStorage<Scope>();
let anonymous = 0;
let installed = false;

/** Replaces `process.env` with the scoping proxy (idempotent). */
export const installFunctionEnv = (): void => {
  if (installed) return;
  installed = true;
  useContainerOf(() => scopes.getStore()?.container ?? '');
  const real = process.env;
  const target = (): Record<string, string | undefined> => scopes.getStore()?.env ?? real;
  process.env = new Proxy(real, {
    get: (_real, name) => (typeof name === 'string' ? target()[name] : undefined),
    set: (_real, name, value) => {
      if (typeof name !== 'string') return false;
      target()[name] = String(value);
      return true;
    },
    has: (_real, name) => typeof name === 'string' && Object.hasOwn(target(), name),
    deleteProperty: (_real, name) => {
      if (typeof name === 'string') delete target()[name];
      return true;
    },
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_real, name) => {
      if (typeof name !== 'string') return undefined;
      const record = target();
      if (!Object.hasOwn(record, name)) return undefined;
      return { value: record[name], writable: true, enumerable: true, configurable: true };
    },
  });
};

/**
 * Runs `fn` with `env` as its whole `process.env` (a copy: writes stay in this invocation's
 * record), as the function `container` (default: one container per distinct call).
 */
export const runWithFunctionEnv = <T>(
  env: Readonly<Record<string, string>>,
  fn: () => T,
  container?: string,
): T => {
  installFunctionEnv();
  anonymous += 1;
  return scopes.run({ env: { ...env }, container: container ?? `anonymous-${anonymous}` }, fn);
};

/** Whether the caller runs inside a function's environment scope. */
export const inFunctionEnv = (): boolean => scopes.getStore() !== undefined;
