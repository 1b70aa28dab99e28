/**
 * Vitest setup file (`@tracecheck/vitest/setup`; the plugin adds it): registers `toHold` on
 * Vitest's `expect` in every test file, also for files that import `expect` from 'vitest'.
 */
import { registerMatchers } from './matcher.js';

registerMatchers();
