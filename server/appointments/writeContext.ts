/** What every write needs besides its own input: the clock, who is asking, and the practice's rules. */
import { DEFAULT_PRACTICE_RULES, type PracticeRules } from '../../domain/practiceRules';
import { SERVER_REQUESTER, type Requester } from '../core/requester';

export interface WriteContext {
  now: Date;
  requester: Requester;
  rules: PracticeRules;
}

/** A store operation's input: its own fields and the write context, as plain data. */
export type WriteInput<T> = T & WriteContext;

/** The context with its defaults: the server itself asking, under the default rules. */
export function contextOf(given: { now: Date; requester?: Requester; rules?: PracticeRules }): WriteContext {
  return { now: given.now, requester: given.requester ?? SERVER_REQUESTER, rules: given.rules ?? DEFAULT_PRACTICE_RULES };
}
