import type { CallLog } from './call-log';
import type { MessagingApiState } from './messaging-api';
import type { Emulator, EmulatorLogger } from './types';

/** What the control API and the simulator routes need beyond the public module API. */
export interface EmulatorInternals {
  emulator: Emulator;
  channelSecret: string;
  destination: string;
  replyTokenTtlMs: number;
  webhookUrl(): string | undefined;
  state: MessagingApiState;
  log: CallLog;
  logger: EmulatorLogger;
}
