import type { OperationContext, Provider, ProviderFactory } from '../provider.js';

export type Interceptor = (
  method: string,
  request: unknown,
  ctx: OperationContext,
  next: () => Promise<unknown>,
) => Promise<unknown>;

/**
 * A provider that forwards every call to a real one, letting a test see each request and act
 * at a chosen moment (interrupt, fail, change the source) before or after the real call.
 */
export function wrapProvider(inner: Provider, intercept: Interceptor): Provider {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      // The one synchronous method: wrapping it would turn its answer into a promise.
      if (property === 'capabilitiesFor') return (value as (bucket: string) => unknown).bind(target);
      return (request: unknown, ctx: OperationContext) =>
        intercept(property, request, ctx, () =>
          (value as (r: unknown, c: OperationContext) => Promise<unknown>).call(target, request, ctx),
        );
    },
  });
}

/** A factory wrapping another factory's providers. */
export function wrappedFactory(base: ProviderFactory, intercept: Interceptor): ProviderFactory {
  return {
    name: base.name,
    schemes: base.schemes,
    async create(options, env) {
      return wrapProvider(await base.create(options, env), intercept);
    },
  };
}
