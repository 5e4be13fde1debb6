// The one Node global check.ts and check.mts use (no @types/node needed).
declare const console: { log(...args: unknown[]): void };
