// Types of scripts/start.mjs for the tests that import it.
export declare const BUILD_INPUTS: string[]
export declare const HASH_FILE: string
export declare const MEMORY_FLAGS: string[]
export declare function inputsHash(root: string, inputs?: readonly string[]): string
export declare function staleBecause(buildDir: string, hash: string): string | null
export declare function buildIfChanged(options: {
  root: string
  buildDir: string
  build: () => Promise<void>
  log?: (message: string) => void
}): Promise<{ built: boolean }>
export declare function reactRouterBuild(root: string): Promise<void>
