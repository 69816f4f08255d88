// The pages' content security policy forbids eval: in the browser zod must not compile its parsers with new Function,
// nor probe whether it may (the probe is reported as a policy violation). root.tsx imports this first, so it runs
// before zod loads; the server keeps zod's compiled parsers.
const scope = globalThis as { __zod_globalConfig?: Record<string, unknown> }
if (typeof document !== 'undefined') (scope.__zod_globalConfig ??= {}).jitless = true
