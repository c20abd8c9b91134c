/**
 * The officer console's live chat: the queue of citizens waiting for an officer, claiming one, the conversation
 * since the handoff (the citizen's messages from the inbox, the officers' replies), a live stream of it, replying
 * (a LINE push through the outbox) and ending (the chat goes back to the bot, which asks for a 1-5 rating).
 * One handler per route, beside it its input's schema; the handoffs and their SQL are handoffs/.
 */
import express, { type Router } from 'express';
import { allowedOnHandoff, contextOf, type HandoffsApiOptions } from './context';
import { listQueue } from './queue';
import { claim } from './claim';
import { readChat } from './chat';
import { streamChat } from './stream';
import { reply } from './reply';
import { endChat } from './end';
import { sendContent } from './content';

export type { HandoffsApiOptions } from './context';

export function handoffsRouter(o: HandoffsApiOptions): Router {
  const c = contextOf(o);
  const signedIn = o.requireOfficer;
  const mayClaim = allowedOnHandoff(c, 'handoff.claim');
  const mayReply = allowedOnHandoff(c, 'handoff.reply');
  const router = express.Router();
  router.get('/handoffs', signedIn, listQueue(c));
  router.post('/handoffs/:id/claim', signedIn, mayClaim, claim(c));
  router.get('/handoffs/:id/messages', signedIn, mayReply, readChat(c));
  router.get('/handoffs/:id/stream', signedIn, mayReply, streamChat(c));
  router.post('/handoffs/:id/reply', signedIn, mayReply, reply(c));
  router.post('/handoffs/:id/end', signedIn, mayReply, endChat(c));
  router.get('/content/:messageId', signedIn, sendContent(c));
  return router;
}
