/**
 * The client's core, without a runtime: what the n8n package ships (it sends through n8n's helpers).
 * Outside n8n, use the package entry (../index.ts), whose BilibiliClient brings node:http and Node's timers.
 */
export { BilibiliClient, type BilibiliClientOptions } from './BilibiliClient';
export * from './errors';
export * from './charge';
export * from './remarks';
export * from './account';
export * from './customerService';
export * from './session';
export { renderQrCode, type QrFormat, type RenderedQr } from './qr';
export * from './watchers/remarkWatcher';
export * from './watchers/qrPayWatcher';
export * from './login';
export type {
	BilibiliCredentials,
	Logger,
	RetryOptions,
	TransportOptions,
} from './transport/transport';
export { checkCredentials, cookieHeader } from './transport/cookies';
export { REFUSED_BY_HOST } from './transport/transport';
export {
	AnswerTooLargeError,
	setCookieList,
	type HttpAnswer,
	type HttpExchange,
	type Runtime,
} from './transport/runtime';
export {
	buildMultipart,
	multipartBuffer,
	type FileData,
	type MultipartBody,
	type MultipartFile,
} from './transport/multipart';
export {
	DEFAULT_SPENDING_LIMITS,
	SPENDING_WINDOW_MS,
	type SpendingLimits,
	type SpendingRecord,
	type SpendingStore,
} from './spending';
export type { RateLimitOptions } from './transport/limiter';
export { HOSTS, type Endpoint, type HostKey } from './transport/hosts';
export { describe, type Id } from './validate';
export {
	BilibiliBackingOffError,
	FailureGate,
	failureBackoffMs,
	forgetTriggerGate,
	triggerGate,
} from './watchers/failureGate';
