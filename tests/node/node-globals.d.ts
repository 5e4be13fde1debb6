// The few Node globals types-check.ts uses (no @types/node needed).
interface Buffer extends Uint8Array {}
declare const Buffer: { from(text: string): Buffer };
declare const console: { log(...args: unknown[]): void };
declare class AbortController {
  readonly signal: {
    readonly aborted: boolean;
    readonly reason: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  };
  abort(reason?: unknown): void;
}
