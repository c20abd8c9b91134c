/**
 * Actions a flow can name. Only the contract lives here (its outcomes, what it does); the code that runs it
 * needs the database, so it lives at the edge, in bot/actions/, and a test checks that every action here has
 * one. The engine stops at an action node, the bot layer runs the action inside the event's transaction and
 * feeds the outcome back, so the engine never touches I/O.
 */
export interface ActionSpec {
  /** Outcome names the action may report; a flow maps each to the node that follows. */
  outcomes: readonly string[];
  description: string;
  /** Slots the action fills for what follows it: a flow that runs it may show them in its texts ("{{dueDays}}"). */
  gives?: readonly string[];
}

export const ACTIONS = {
  'case.file': {
    outcomes: ['ok'],
    description:
      'File the complaint collected in the slots as a case under its category: a tracking number, the receipt, the category\'s deadline (15 days unless it sets its own). Params: anonymous (true: filed without a name, when the slot "anonymous" is "yes"; false: with one); without it, the slot "anonymous" decides.',
    gives: ['trackingNumber'],
  },
  'case.listMine': {
    outcomes: ['some', 'none'],
    description: "Show the citizen's own cases as a carousel.",
  },
  'case.track': {
    outcomes: ['shown', 'verify', 'locked'],
    description: 'Show the timeline of the case in slot "number" if it is this citizen\'s; otherwise ask for the last four phone digits.',
  },
  'case.verifyPhone': {
    outcomes: ['shown', 'wrong', 'locked'],
    description: 'Check the last four phone digits (slot "last4") for the case in slot "number"; attempts are limited.',
  },
  'case.linkOptions': {
    outcomes: ['offer', 'linked', 'none'],
    description:
      'After a case was shown: offer to link the case in slot "number", filed another way, to this LINE account when nobody follows it on LINE and its phone digits (slot "last4") match; "linked" when it is linked to this chat already.',
  },
  'case.link': {
    outcomes: ['linked', 'notAllowed'],
    description: 'Link the case in slot "number" to this LINE account (its phone digits in slot "last4" checked again): its notices come here from now on.',
  },
  'case.unlink': {
    outcomes: ['unlinked', 'notLinked'],
    description: 'Undo the link of the case in slot "number" to this LINE account: no more notices here.',
  },
  'case.addInfo': {
    outcomes: ['ok', 'notFound', 'closed'],
    description: 'Add the text in slot "info" and the files in slot "files" to the citizen\'s open case in slot "number".',
  },
  'case.withdraw': {
    outcomes: ['ok', 'notFound', 'closed'],
    description: 'Withdraw the citizen\'s open case in slot "number".',
  },
  'case.survey': {
    outcomes: ['thanks', 'offerReopen'],
    description: 'Store the rating (slot "rating") and comment (slot "comment") for the case in slot "number".',
  },
  'case.reopen': {
    outcomes: ['ok', 'notAllowed'],
    description: 'Reopen the case in slot "number", once, within the reopen window; the days until the citizen hears again (its category\'s deadline) in slot "dueDays".',
    gives: ['dueDays'],
  },
  'mydata.show': { outcomes: ['ok'], description: 'Tell the citizen what is held about them.' },
  'mydata.export': { outcomes: ['ok'], description: 'Send a one-time link to download what is held about them.' },
  'mydata.delete': { outcomes: ['ok'], description: 'Record a deletion request for an officer to decide, and explain what is kept.' },
  'faq.answer': {
    outcomes: ['answered', 'none'],
    description: 'Answer the question in slot "question" from the FAQ.',
  },
  'chat.rate': {
    outcomes: ['ok'],
    description: 'Store the rating (slot "rating") and comment (slot "comment") of a live chat with an officer.',
  },
} satisfies Record<string, ActionSpec>;
