import { InboxOutbox1764100000000 } from './0001-inbox-outbox';

/** In order. A new migration is a new file added at the end; a shipped one is never edited. */
export const migrations = [InboxOutbox1764100000000];
