import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { setFlagsFromString } from 'node:v8';

/**
 * PostgreSQL settings of the embedded database, on top of PGlite's own start parameters (which
 * are kept: single-user mode, no parallel workers, synchronous I/O).
 *
 * shared_buffers: PostgreSQL's default buffer cache (128 MB) is resident in PGlite's WebAssembly
 * memory from startup on, and that memory never shrinks. 16 MB keeps the embedded default's
 * working set in memory; pages beyond it are read back from DATA_DIR through the OS page cache.
 * A cache size only: what is written to DATA_DIR, and when, does not change.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
};

/** Every start, and initdb when DATA_DIR is new (its own instance, and postgresql.conf, then agree). */
export function pgliteOptions(): PGliteOptions {
  const settings = Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  return { startParams: [...PGlite.defaultStartParams, ...settings], initDbStartParams: settings };
}

/** V8 flags that choose how WebAssembly is compiled: when node is started with one, it wins. */
const WASM_TIERING_FLAG = /^--(no-?)?(liftoff|liftoff[-_]only|wasm[-_]tier[-_]up|wasm[-_]dynamic[-_]tiering)(=|$)/;

export function wasmTieringOnCommandLine(execArgv: readonly string[]): boolean {
  return execArgv.some((flag) => WASM_TIERING_FLAG.test(flag));
}

/**
 * Runs PGlite's WebAssembly on V8's baseline compiler (Liftoff) only. With V8's default tiering,
 * PostgreSQL's hot functions are recompiled by the optimizing compiler in the background: about
 * 10 s of CPU in the first seconds of serving (competing with startup and requests on a one-core
 * container), and one 100 KB function alone takes ~600 MB of compiler memory, which set the
 * process's peak RSS. The price: ~15 % more CPU per embedded write once that tier would be warm.
 *
 * Must run before the first PGlite instance compiles its module: V8 reads these flags when a
 * module is compiled, for every module compiled afterwards in the process.
 */
export function useBaselineWasmCompiler(execArgv: readonly string[] = process.execArgv): void {
  if (wasmTieringOnCommandLine(execArgv)) return;
  // Both: set at run time, --liftoff-only would not imply them.
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
}
