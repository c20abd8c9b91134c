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
}

export const ACTIONS = {
  'intake.submit': {
    outcomes: ['ok'],
    description: 'Store the answers collected so far as a submission for officers to review.',
  },
} satisfies Record<string, ActionSpec>;
