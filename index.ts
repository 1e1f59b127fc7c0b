/** Public API of the typed client: `import { BilibiliClient } from 'n8n-nodes-bilibili'`. */
export { BilibiliClient, type BilibiliClientOptions } from './client/BilibiliClient';
export * from './client/errors';
export * from './client/charge';
export * from './client/remarks';
export * from './client/account';
export * from './client/customerService';
export { renderQrCode, type QrFormat, type RenderedQr } from './client/qr';
export * from './client/watchers/remarkWatcher';
export * from './client/watchers/qrPayWatcher';
export type { BilibiliCredentials, Logger, RetryOptions, TransportOptions } from './client/transport/transport';
export { DEFAULT_SPENDING_LIMITS, SPENDING_WINDOW_MS, type SpendingLimits } from './client/spending';
export type { RateLimitOptions } from './client/transport/limiter';
export { HOSTS, type Endpoint, type HostKey } from './client/transport/hosts';
export type { Id } from './client/validate';
export { FailureGate, failureBackoffMs, forgetTriggerGate, triggerGate } from './client/watchers/failureGate';
