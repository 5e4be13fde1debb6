// The few Node globals types-check.ts uses (no @types/node needed).
interface Buffer extends Uint8Array {}
declare const Buffer: { from(text: string): Buffer };
declare const console: { log(...args: unknown[]): void };
