import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions, wasmTieringOnCommandLine } from './pglite-runtime.js';

describe('pgliteOptions', () => {
  it("keeps PGlite's start parameters and adds the settings, for initdb too", () => {
    const options = pgliteOptions();
    expect(options.startParams).toEqual([...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB']);
    expect(options.initDbStartParams).toEqual(['-c', 'shared_buffers=16MB']);
  });
});

describe('wasmTieringOnCommandLine', () => {
  it.each([['--liftoff-only'], ['--wasm-tier-up'], ['--no-wasm-dynamic-tiering'], ['--wasm_dynamic_tiering'], ['--noliftoff']])('sees %s', (flag) => {
    expect(wasmTieringOnCommandLine(['--enable-source-maps', flag])).toBe(true);
  });

  it('ignores other flags', () => {
    expect(wasmTieringOnCommandLine([])).toBe(false);
    expect(wasmTieringOnCommandLine(['--max-semi-space-size=32', '--wasm-max-mem-pages=100', '--liftoff-foo'])).toBe(false);
  });
});
