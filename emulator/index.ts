/**
 * A faithful local LINE platform: the Messaging API (status codes, error bodies, headers, reply tokens, retry keys,
 * request validation against LINE's own OpenAPI description), signed webhook delivery, fault injection, and a
 * chat page (/simulator) for people. LINE itself cannot be reached from here, and must not be load-tested anyway.
 */
export { startEmulator, EmulatorConfigError } from './server';
export { signBody } from './signature';
export { newWebhookEventId } from './ids';
export { WebhookDeliveryError, WebhookNotConfiguredError } from './webhook-delivery';
export { WaitForCallsTimeoutError } from './call-log';
export { InvalidFaultError } from './faults';
export { InvalidUserError } from './profiles';
export { InvalidContentError } from './contents';
export type {
  DeliveredMessage,
  Emulator,
  EmulatorOptions,
  Endpoint,
  Fault,
  PartialEvent,
  RecordedCall,
  UserProfile,
  WebhookEvent,
  WebhookResult,
} from './types';
